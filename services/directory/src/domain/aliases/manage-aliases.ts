// Operator aliases (admin): an extra address of a mailbox, e.g. vanthu@ for the agency's box. The
// alias counts as taken for naming, shows in the mailbox's published state, and reaches Postfix's
// virtual_alias_maps through a set_alias command (remove_alias when taken away).
import { AppError } from '@hopthu/shared';
import {
  bumpAliasGeneration,
  deleteAlias,
  findAliasForUpdate,
  findTakenLocalParts,
  upsertAlias,
} from '../../db/address-repository.ts';
import { insertHistory } from '../../db/history-repository.ts';
import { findMailboxById } from '../../db/mailbox-repository.ts';
import type { ChangeContext, DirectoryDeps } from '../deps.ts';
import { issueAddressCommand, publishMailboxState } from '../mailboxes/mailbox-events.ts';
import { splitAddress } from '../mailboxes/naming-input.ts';
import { isValidLocalPart } from '@hopthu/naming';

export async function addAlias(
  deps: DirectoryDeps,
  input: {
    mailboxId: string;
    address: string;
    expiresAt?: string | undefined;
    reason?: string | undefined;
    actor: string;
  },
) {
  const parts = splitAddress(input.address);
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  return deps.db.transaction().execute(async (trx) => {
    const mailbox = await findMailboxById(trx, input.mailboxId, { forUpdate: true });
    if (!mailbox || mailbox.state === 'deleted') {
      throw new AppError('not_found', { vi: 'Không có hộp thư này', en: 'No such mailbox' });
    }
    if (!parts || parts.domain !== mailbox.domain || !isValidLocalPart(parts.localPart)) {
      throw badAddress(
        `Bí danh phải là địa chỉ hợp lệ thuộc ${mailbox.domain}`,
        `The alias must be a valid address in ${mailbox.domain}`,
      );
    }
    const at = deps.clock.now();
    if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt <= at)) {
      throw badAddress('Thời hạn phải ở tương lai', 'expiresAt must be in the future');
    }
    // Role addresses are reserved so that no person is named postmaster or noc; giving one to a
    // mailbox as an alias is exactly what an operator reserves them for.
    const taken = await findTakenLocalParts(trx, mailbox.domain, [parts.localPart], at, {
      allowRoleAddresses: true,
    });
    if (taken.has(parts.localPart)) {
      throw new AppError('conflict', {
        vi: `Địa chỉ ${input.address} đã được dùng, dành riêng hoặc đang bị giữ lại`,
        en: `The address ${input.address} is in use, reserved or held back`,
      });
    }
    const address = `${parts.localPart}@${parts.domain}`;
    await upsertAlias(
      trx,
      {
        address,
        localPart: parts.localPart,
        domain: parts.domain,
        mailboxId: mailbox.id,
        kind: 'alias',
        expiresAt,
      },
      at,
    );
    const generation = await bumpAliasGeneration(trx, address);
    const alias = await findAliasForUpdate(trx, address);
    if (!alias) throw new Error('alias vanished');
    const ctx = adminContext(at, input.actor, input.reason);
    await issueAddressCommand(
      trx,
      deps.newId,
      'alias',
      {
        id: alias.id,
        generation,
        action: 'set_alias',
        address,
        domain: alias.domain,
        aliasTargets: [mailbox.address],
        ...(expiresAt ? { aliasExpiresAt: expiresAt.toISOString() } : {}),
      },
      ctx,
    );
    await insertHistory(trx, {
      mailboxId: mailbox.id,
      at,
      change: 'alias_added',
      reason: ctx.reason,
      requestId: null,
      itemId: null,
      actor: input.actor,
      details: { alias: address, expiresAt: expiresAt?.toISOString() ?? null },
    });
    await publishMailboxState(trx, mailbox.id, ctx);
    return { id: alias.id, address, mailboxId: mailbox.id, expiresAt: expiresAt?.toISOString() ?? null };
  });
}

export async function removeAlias(
  deps: DirectoryDeps,
  input: { address: string; reason?: string | undefined; actor: string },
) {
  const parts = splitAddress(input.address);
  return deps.db.transaction().execute(async (trx) => {
    const alias = parts ? await findAliasForUpdate(trx, `${parts.localPart}@${parts.domain}`) : null;
    if (!alias) throw new AppError('not_found', { vi: 'Không có bí danh này', en: 'No such alias' });
    const at = deps.clock.now();
    const ctx = adminContext(at, input.actor, input.reason);
    const generation = await bumpAliasGeneration(trx, alias.address);
    await issueAddressCommand(
      trx,
      deps.newId,
      'alias',
      { id: alias.id, generation, action: 'remove_alias', address: alias.address, domain: alias.domain },
      ctx,
    );
    await deleteAlias(trx, alias.address);
    await insertHistory(trx, {
      mailboxId: alias.mailboxId,
      at,
      change: 'alias_removed',
      reason: ctx.reason,
      requestId: null,
      itemId: null,
      actor: input.actor,
      details: { alias: alias.address, kind: alias.kind },
    });
    await publishMailboxState(trx, alias.mailboxId, ctx);
    return { address: alias.address, removed: true };
  });
}

function adminContext(at: Date, actor: string, reason?: string): ChangeContext {
  return { at, actor, requestId: null, itemId: null, reason: reason ?? null };
}

function badAddress(vi: string, en: string): AppError {
  return new AppError(
    'validation_failed',
    { vi, en },
    { errors: [{ field: '/address', message: { vi, en } }] },
  );
}
