// A restore_deleted the mail server refused (its retained mail purged meanwhile, e.g. a restore
// approved on the last day and carried out after that night's purge, or a dead letter replayed
// later: the provisioner answers failed naming the purge day rather than give back an empty
// mailbox). The directory had already made the mailbox active; it becomes deleted again as it was:
// the holds the restore ended are given back, the aliases it brought back withdrawn, the forward
// it brought back ended again (history `forwardTo`), an agency mailbox is no longer its agency's
// own, history `restore_undone` with the provisioner's reason, and its state published. Only while nothing else changed the mailbox since (same generation).
import { clearOfficialMailbox } from '../../db/agency-repository.ts';
import { setForward } from '../../db/forward-repository.ts';
import { findMailboxById, updateMailbox } from '../../db/mailbox-repository.ts';
import { type EndedHold, findRestoreRecord, reinstateRetiredHolds } from '../../db/restore-repository.ts';
import { withdrawRestoredAliases } from '../aliases/aliases-of-deleted.ts';
import type { ChangeContext, ChangeDeps } from '../deps.ts';
import { recordMailboxChange } from '../mailboxes/record-mailbox-change.ts';

export async function undoFailedRestore(
  deps: Pick<ChangeDeps, 'db' | 'newId'>,
  input: { mailboxId: string; generation: number; error: string | null },
  ctx: ChangeContext,
): Promise<boolean> {
  const { db } = deps;
  const mailbox = await findMailboxById(db, input.mailboxId, { forUpdate: true });
  if (mailbox?.state !== 'active' || mailbox.generation !== input.generation) return false;
  const restore = await findRestoreRecord(db, mailbox.id, input.generation);
  if (!restore) return false;
  await updateMailbox(db, mailbox.id, { state: 'deleted', generation: mailbox.generation }, ctx.at);
  const holds = Array.isArray(restore.details.holdsEnded) ? (restore.details.holdsEnded as EndedHold[]) : [];
  await reinstateRetiredHolds(db, mailbox.id, holds, restore.at);
  const restored = Array.isArray(restore.details.aliases) ? (restore.details.aliases as string[]) : [];
  const withdrawn = await withdrawRestoredAliases(deps, mailbox.id, restored, ctx);
  // the forward it brought back: the mail server wrote none (the row goes with the restore's own)
  const forwardTo = typeof restore.details.forwardTo === 'string' ? restore.details.forwardTo : null;
  if (forwardTo) await setForward(db, mailbox.id, null, ctx.at, { bumpGeneration: false });
  const wasOfficial = mailbox.type === 'agency';
  if (wasOfficial) await clearOfficialMailbox(db, mailbox.id, ctx.at);
  await recordMailboxChange(
    deps,
    {
      mailbox: { id: mailbox.id },
      history: {
        change: 'restore_undone',
        details: {
          from: 'active',
          to: 'deleted',
          generation: mailbox.generation,
          error: input.error,
          ...(withdrawn.length > 0 ? { aliases: withdrawn } : {}),
          ...(forwardTo ? { forwardTo } : {}),
        },
      },
      agencyId: wasOfficial ? mailbox.agencyId : undefined,
    },
    ctx,
  );
  return true;
}
