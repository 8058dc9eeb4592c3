// What becomes of a mailbox's aliases when it is deleted and when it is given back from retention.
//
// Deleted (setMailboxState), its live aliases leave with it: the mail server's delete drops the
// alias rows that deliver to it (docs/provisioner.md), so the directory drops them too (its
// published state lists none) and holds each operator alias back from reissue like a retired
// address (its province's retention.retiredAddressDays; a transition alias's old address is held
// already, from its end). The delete's history lists them (`aliases`: address, kind, expiresAt),
// so nothing is forgotten.
//
// Restored (restore_deleted), each alias it had when deleted comes back where its address is still
// free (its own holds ended first) and a transition alias's period has not ended: the alias row again
// and a set_alias to the mail server under the alias's own id and generation. The command carries
// no item (the restore's own command settles the item, and an alias applied first must not). An
// alias whose address was taken meanwhile, or whose transition ended, is reported with why (vi/en)
// in the restore's history, never silently dropped. Aliases of a mailbox deleted before the
// directory released them (their rows still name it) are commanded again the same way. A restore
// the mail server then refuses (undo-failed-restore.ts) withdraws them again.
import {
  type AliasRow,
  bumpAliasGeneration,
  deleteAlias,
  findAliasForUpdate,
  findTakenLocalParts,
  insertRetiredAddresses,
  listAliases,
  upsertAlias,
} from '../../db/address-repository.ts';
import type { Mailbox } from '../../db/mailbox-repository.ts';
import { findAddressHolders } from '../../db/restore-repository.ts';
import type { ChangeContext, ChangeDeps } from '../deps.ts';
import { retiredHoldDaysFor } from '../mailboxes/address-holds.ts';
import { issueAddressCommand } from '../mailboxes/provisioning-commands.ts';

const DAY_MS = 86_400_000;

/** An alias as the delete recorded it. */
export interface RecordedAlias {
  address: string;
  kind: 'alias' | 'transition';
  expiresAt: string | null;
}

export interface AliasNotRestored {
  alias: string;
  reason: { vi: string; en: string };
}

/**
 * The deleted mailbox's live aliases leave the directory with it, held back from reissue; answers
 * them for the delete's history. In the caller's transaction, before the delete is recorded.
 */
export async function releaseAliasesOfDeleted(
  deps: Pick<ChangeDeps, 'db' | 'retiredHoldDays' | 'renameAliasDays'>,
  mailbox: Pick<Mailbox, 'id' | 'province'>,
  at: Date,
): Promise<RecordedAlias[]> {
  const aliases = await listAliases(deps.db, { mailboxId: mailbox.id }, at);
  const hold = retiredHoldDaysFor(deps, mailbox.province) * DAY_MS;
  await insertRetiredAddresses(
    deps.db,
    aliases
      .filter((a) => a.kind === 'alias')
      .map((a) => ({
        address: a.address,
        localPart: a.localPart,
        domain: a.domain,
        mailboxId: mailbox.id,
        retiredAt: at,
        holdUntil: new Date(at.getTime() + hold),
      })),
  );
  for (const a of aliases) await deleteAlias(deps.db, a.address);
  return aliases.map((a) => ({
    address: a.address,
    kind: a.kind,
    expiresAt: a.expiresAt?.toISOString() ?? null,
  }));
}

/** The aliases recorded in a delete's history details (`aliases`); [] for anything else. */
export function recordedAliases(details: Record<string, unknown> | undefined): RecordedAlias[] {
  const list = details?.aliases;
  if (!Array.isArray(list)) return [];
  return list.flatMap((a): RecordedAlias[] => {
    const { address, kind, expiresAt } = (a ?? {}) as Record<string, unknown>;
    if (typeof address !== 'string') return [];
    return [
      {
        address,
        kind: kind === 'transition' ? 'transition' : 'alias',
        expiresAt: typeof expiresAt === 'string' ? expiresAt : null,
      },
    ];
  });
}

/**
 * Gives the restored mailbox (its holds already ended, `mailbox` under its new generation) back
 * the aliases its delete recorded, where still free; answers what came back and what did not.
 * In the caller's transaction, before the restore's change is recorded (its state lists them).
 */
export async function restoreAliasesOfDeleted(
  deps: Pick<ChangeDeps, 'db' | 'newId' | 'retiredHoldDays' | 'renameAliasDays'>,
  mailbox: Pick<Mailbox, 'id' | 'address' | 'domain' | 'agencyId' | 'province'>,
  recorded: readonly RecordedAlias[],
  ctx: ChangeContext,
): Promise<{ restored: string[]; notRestored: AliasNotRestored[] }> {
  const { db } = deps;
  const restored: string[] = [];
  const notRestored: AliasNotRestored[] = [];
  // a command of the restore, not of the item: the restore_deleted command's result settles it
  const commandCtx: ChangeContext = { ...ctx, requestId: null, itemId: null };
  const command = async (alias: AliasRow, generation: number) =>
    issueAddressCommand(
      db,
      deps.newId,
      'alias',
      {
        id: alias.id,
        generation,
        action: 'set_alias',
        address: alias.address,
        domain: alias.domain,
        aliasTargets: [mailbox.address],
        ...(alias.expiresAt ? { aliasExpiresAt: alias.expiresAt.toISOString() } : {}),
      },
      commandCtx,
    );

  // deleted before aliases were released with the mailbox: the rows still name it
  for (const alias of await listAliases(db, { mailboxId: mailbox.id }, ctx.at)) {
    await command(alias, await bumpAliasGeneration(db, alias.address));
    restored.push(alias.address);
  }

  for (const r of recorded) {
    if (restored.includes(r.address)) continue;
    const [localPart = '', domain = ''] = r.address.split('@');
    const expiresAt = r.expiresAt ? new Date(r.expiresAt) : null;
    if (expiresAt && expiresAt <= ctx.at) {
      const day = expiresAt.toISOString().slice(0, 10);
      notRestored.push({
        alias: r.address,
        reason: {
          vi: `Bí danh ${r.address} không được khôi phục: thời hạn chuyển tiếp đã hết ngày ${day}`,
          en: `The alias ${r.address} was not brought back: its transition period ended on ${day}`,
        },
      });
      continue;
    }
    const why = await takenBy(deps, mailbox, { localPart, domain }, ctx.at);
    if (why) {
      notRestored.push({
        alias: r.address,
        reason: {
          vi: `Bí danh ${r.address} không được khôi phục: địa chỉ ${why.vi}`,
          en: `The alias ${r.address} was not brought back: the address ${why.en}`,
        },
      });
      continue;
    }
    await upsertAlias(
      db,
      { address: r.address, localPart, domain, mailboxId: mailbox.id, kind: r.kind, expiresAt },
      ctx.at,
    );
    const generation = await bumpAliasGeneration(db, r.address);
    const alias = await findAliasForUpdate(db, r.address);
    if (!alias) throw new Error('alias vanished');
    await command(alias, generation);
    restored.push(r.address);
    // the restore ended the mailbox's holds: a transition address is held again from its end
    if (r.kind === 'transition' && expiresAt) {
      await insertRetiredAddresses(db, [
        {
          address: r.address,
          localPart,
          domain,
          mailboxId: mailbox.id,
          retiredAt: ctx.at,
          holdUntil: new Date(expiresAt.getTime() + retiredHoldDaysFor(deps, mailbox.province) * DAY_MS),
        },
      ]);
    }
  }
  return { restored, notRestored };
}

/**
 * The restore's item result names the aliases (and the forward) that did not come back ("vi / en",
 * as every item reason the agency reads): carried by the restore's command as its resultNote, so
 * the item says it only once the mail server has given the mailbox back. Null when all came back.
 */
export function notRestoredNote(
  notRestored: readonly (AliasNotRestored | { forwardTo: string; reason: { vi: string; en: string } })[],
): string | null {
  if (notRestored.length === 0) return null;
  const vi = notRestored.map((n) => n.reason.vi).join('; ');
  const en = notRestored.map((n) => n.reason.en).join('; ');
  return `Hộp thư đã được khôi phục. ${vi} / The mailbox was restored. ${en}`;
}

/** Why an alias address cannot be the restored mailbox's again; null when it is free. */
async function takenBy(
  deps: Pick<ChangeDeps, 'db'>,
  mailbox: Pick<Mailbox, 'id' | 'agencyId'>,
  alias: { localPart: string; domain: string },
  at: Date,
): Promise<{ vi: string; en: string } | null> {
  const holders = await findAddressHolders(deps.db, { id: mailbox.id, ...alias }, at);
  if (holders.length > 0) {
    const who = holders.join(', ');
    return { vi: `đang được dùng (${who})`, en: `is in use (${who})` };
  }
  const taken = await findTakenLocalParts(deps.db, alias.domain, [alias.localPart], at, {
    exceptAgencyId: mailbox.agencyId,
    allowRoleAddresses: true,
  });
  return taken.has(alias.localPart)
    ? { vi: 'đã được dành riêng hoặc đang bị giữ lại', en: 'is reserved or held back' }
    : null;
}

/**
 * A restore the mail server could not carry out (its retained mail purged meanwhile): the aliases
 * it brought back leave again (a remove_alias each, carrying no item; their holds are the
 * restore's to give back).
 */
export async function withdrawRestoredAliases(
  deps: Pick<ChangeDeps, 'db' | 'newId'>,
  mailboxId: string,
  addresses: readonly string[],
  ctx: ChangeContext,
): Promise<string[]> {
  const withdrawn: string[] = [];
  for (const address of addresses) {
    const alias = await findAliasForUpdate(deps.db, address);
    if (!alias || alias.mailboxId !== mailboxId) continue;
    const generation = await bumpAliasGeneration(deps.db, address);
    await deleteAlias(deps.db, address);
    await issueAddressCommand(
      deps.db,
      deps.newId,
      'alias',
      { id: alias.id, generation, action: 'remove_alias', address, domain: alias.domain },
      { ...ctx, requestId: null, itemId: null },
    );
    withdrawn.push(address);
  }
  return withdrawn;
}
