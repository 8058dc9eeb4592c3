// Results from the provisioner for commands this service issued: a confirmed `create` moves the
// mailbox from provisioning to active; every result lands in the mailbox history. Results the
// directory published itself (items it settled) match no issued command and are ignored.
import type { ProvisioningResult } from '@hopthu/shared/events';
import { findIssuedCommand, recordCommandResult } from '../../db/command-repository.ts';
import { insertHistory } from '../../db/history-repository.ts';
import { findMailboxById, updateMailbox } from '../../db/mailbox-repository.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { publishMailboxState } from './mailbox-events.ts';

export type ResultOutcome = 'ignored' | 'activated' | 'recorded';

export async function recordProvisioningResult(
  db: Db,
  result: ProvisioningResult,
  ctx: Pick<ChangeContext, 'at' | 'correlationId'>,
): Promise<ResultOutcome> {
  if (!/^[0-9a-f-]{36}$/i.test(result.commandId)) return 'ignored';
  const command = await findIssuedCommand(db, result.commandId);
  if (!command || command.mailboxId !== result.mailboxId) return 'ignored';
  await recordCommandResult(
    db,
    command.commandId,
    { outcome: result.outcome, error: result.error ?? null },
    ctx.at,
  );
  const mailbox = await findMailboxById(db, command.mailboxId, { forUpdate: true });
  if (!mailbox) return 'ignored';
  const full: ChangeContext = {
    ...ctx,
    actor: 'provisioner',
    requestId: command.requestId,
    itemId: command.itemId,
    reason: result.error ?? null,
  };
  await insertHistory(db, {
    mailboxId: mailbox.id,
    at: ctx.at,
    change: `${command.action}_${result.outcome}`,
    reason: result.error ?? null,
    requestId: command.requestId,
    itemId: command.itemId,
    actor: 'provisioner',
    details: { commandId: command.commandId, generation: command.generation, attempts: result.attempts },
  });
  const confirmed = result.outcome === 'applied' || result.outcome === 'skipped';
  if (command.action === 'create' && confirmed && mailbox.state === 'provisioning') {
    await updateMailbox(db, mailbox.id, { state: 'active' }, ctx.at);
    await publishMailboxState(db, mailbox.id, full);
    return 'activated';
  }
  return 'recorded';
}
