// Operator aliases (admin): an extra address of a mailbox, e.g. vanthu@ for the agency's box. The
// alias counts as taken for naming, shows in the mailbox's published state, and reaches Postfix's
// virtual_alias_maps through a set_alias command (remove_alias when taken away).
import { AppError } from '@hopthu/shared/errors';
import {
  type AliasRow,
  bumpAliasGeneration,
  deleteAlias,
  findAliasForUpdate,
  findExpiredAliasAddresses,
  findTakenLocalParts,
  upsertAlias,
} from '../../db/address-repository.ts';
import { findMailboxById } from '../../db/mailbox-repository.ts';
import type { ChangeContext, ChangeDeps, Db, DirectoryDeps } from '../deps.ts';
import { splitAddress } from '../mailboxes/naming-input.ts';
import { recordMailboxChange } from '../mailboxes/record-mailbox-change.ts';
import { isValidLocalPart } from '@hopthu/naming';

export interface AddAliasInput {
  mailboxId: string;
  address: string;
  expiresAt?: string | undefined;
  reason?: string | undefined;
  actor: string;
}

export async function addAlias(deps: DirectoryDeps, input: AddAliasInput) {
  const ctx = adminContext(deps.clock.now(), input.actor, input.reason);
  return deps.db
    .transaction()
    .execute((trx) => addAliasIn({ ...deps, db: trx }, { ...input, ctx, allowRoleAddresses: true }));
}

/**
 * Gives the mailbox the alias inside the caller's transaction, under `ctx` (an operator's change,
 * or an approved add_alias item whose request and item the command and history carry). Every
 * refusal is thrown before anything is written. Role addresses (postmaster@, noc@) only when
 * `allowRoleAddresses`: an operator reserves them for exactly this.
 */
export async function addAliasIn(
  deps: Pick<ChangeDeps, 'db' | 'newId'>,
  input: Omit<AddAliasInput, 'actor' | 'reason'> & { ctx: ChangeContext; allowRoleAddresses: boolean },
) {
  const { db: trx, newId } = deps;
  const { ctx } = input;
  const parts = splitAddress(input.address);
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
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
  const at = ctx.at;
  if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt <= at)) {
    throw badAddress('Thời hạn phải ở tương lai', 'expiresAt must be in the future');
  }
  const taken = await findTakenLocalParts(trx, mailbox.domain, [parts.localPart], at, {
    allowRoleAddresses: input.allowRoleAddresses,
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
  await recordMailboxChange(
    { db: trx, newId },
    {
      mailbox,
      history: {
        change: 'alias_added',
        details: { alias: address, expiresAt: expiresAt?.toISOString() ?? null },
      },
      aliasCommand: {
        id: alias.id,
        generation,
        action: 'set_alias',
        address,
        domain: alias.domain,
        aliasTargets: [mailbox.address],
        ...(expiresAt ? { aliasExpiresAt: expiresAt.toISOString() } : {}),
      },
    },
    ctx,
  );
  return { id: alias.id, address, mailboxId: mailbox.id, expiresAt: expiresAt?.toISOString() ?? null };
}

export async function removeAlias(
  deps: DirectoryDeps,
  input: { address: string; reason?: string | undefined; actor: string },
) {
  const ctx = adminContext(deps.clock.now(), input.actor, input.reason);
  return deps.db.transaction().execute((trx) => removeAliasIn({ ...deps, db: trx }, { ...input, ctx }));
}

/**
 * Takes the alias away inside the caller's transaction, under `ctx`; with `mailboxId`, only an
 * alias of that mailbox (an item names the mailbox it acts on). Refusals are thrown before writing.
 */
export async function removeAliasIn(
  deps: Pick<ChangeDeps, 'db' | 'newId'>,
  input: { address: string; mailboxId?: string; ctx: ChangeContext },
) {
  const { db: trx, newId } = deps;
  const { ctx } = input;
  const parts = splitAddress(input.address);
  const alias = parts ? await findAliasForUpdate(trx, `${parts.localPart}@${parts.domain}`) : null;
  if (!alias || (input.mailboxId !== undefined && alias.mailboxId !== input.mailboxId)) {
    throw new AppError('not_found', { vi: 'Không có bí danh này', en: 'No such alias' });
  }
  await dropAlias(trx, { newId }, alias, ctx, 'alias_removed');
  return { address: alias.address, removed: true };
}

/**
 * Ends the aliases whose time is up (an old address after a transfer or rename): each leaves the
 * directory, the mail server gets remove_alias, and the mailbox's state is published again, so
 * the directory topic (and any downstream mail server built from it) never lists a dead address.
 * Returns how many ended.
 */
export async function expireDueAliases(deps: DirectoryDeps, limit = 50): Promise<number> {
  const now = deps.clock.now();
  const due = await findExpiredAliasAddresses(deps.db, now, limit);
  let ended = 0;
  for (const address of due) {
    ended += await deps.db.transaction().execute(async (trx) => {
      const alias = await findAliasForUpdate(trx, address);
      if (!alias?.expiresAt || alias.expiresAt > now) return 0; // extended or removed meanwhile
      const ctx = adminContext(
        now,
        'system:alias-expiry',
        'thời hạn chuyển tiếp đã hết / transition period over',
      );
      await dropAlias(trx, deps, alias, ctx, 'alias_expired');
      return 1;
    });
  }
  return ended;
}

async function dropAlias(
  trx: Db,
  deps: Pick<DirectoryDeps, 'newId'>,
  alias: AliasRow,
  ctx: ChangeContext,
  change: 'alias_removed' | 'alias_expired',
): Promise<void> {
  const generation = await bumpAliasGeneration(trx, alias.address);
  await deleteAlias(trx, alias.address);
  await recordMailboxChange(
    { db: trx, newId: deps.newId },
    {
      mailbox: { id: alias.mailboxId },
      history: { change, details: { alias: alias.address, kind: alias.kind } },
      aliasCommand: {
        id: alias.id,
        generation,
        action: 'remove_alias',
        address: alias.address,
        domain: alias.domain,
      },
    },
    ctx,
  );
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
