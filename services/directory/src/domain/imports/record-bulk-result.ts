// The provisioner's answer to a bulk command: each result recorded as if it came alone (a
// confirmed create activates its mailbox and publishes its state). A mailbox imported as suspended
// or locked then takes that state the usual way: generation + 1, history, a `suspend` command
// (logins refused, mail kept) and its state published.
import type { ProvisioningBulkResult } from '@hopthu/shared/events';
import { findImportTargetStates } from '../../db/import-repository.ts';
import { insertHistory } from '../../db/history-repository.ts';
import { findMailboxById, updateMailbox } from '../../db/mailbox-repository.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { issueCommand, publishMailboxState } from '../mailboxes/mailbox-events.ts';
import { recordProvisioningResult } from '../mailboxes/record-provisioning-result.ts';
import { IMPORT_ACTOR } from './run-import.ts';

export async function recordBulkProvisioningResult(
  db: Db,
  newId: () => string,
  bulk: ProvisioningBulkResult,
  ctx: Pick<ChangeContext, 'at' | 'correlationId'>,
): Promise<{ activated: number; recorded: number; ignored: number }> {
  const counts = { activated: 0, recorded: 0, ignored: 0 };
  const activated: string[] = [];
  for (const result of bulk.results) {
    const outcome = await recordProvisioningResult(db, result, ctx);
    counts[outcome]++;
    if (outcome === 'activated') activated.push(result.mailboxId);
  }
  const targets = await findImportTargetStates(db, activated);
  for (const [mailboxId, target] of targets) {
    const mailbox = await findMailboxById(db, mailboxId, { forUpdate: true });
    if (mailbox?.state !== 'active' || (target !== 'suspended' && target !== 'locked')) continue;
    const full: ChangeContext = {
      ...ctx,
      actor: IMPORT_ACTOR,
      requestId: null,
      itemId: null,
      reason: `imported as ${target}`,
    };
    const generation = mailbox.generation + 1;
    await updateMailbox(db, mailbox.id, { state: target, generation }, ctx.at);
    await insertHistory(db, {
      mailboxId: mailbox.id,
      at: ctx.at,
      change: target,
      reason: full.reason,
      requestId: null,
      itemId: null,
      actor: IMPORT_ACTOR,
      details: { importedState: target },
    });
    await issueCommand(db, newId, { ...mailbox, generation, state: target }, { action: 'suspend' }, full);
    await publishMailboxState(db, mailbox.id, full);
  }
  return counts;
}
