// The applied-command log: what happened to each command id, and the newest generation applied
// per mailbox (it outlives a deleted vmail row, so an old command replayed after a delete is stale).
import type { Kysely } from 'kysely';
import type { Outcome, ProvisionerDb } from './schema.ts';

export interface AppliedCommand {
  commandId: string;
  mailboxId: string;
  generation: number;
  action: string;
  address: string;
  outcome: Outcome;
  attempts: number;
  error: string | null;
  eventId: string;
  appliedAt: Date;
}

export async function findAppliedCommand(
  db: Kysely<ProvisionerDb>,
  commandId: string,
): Promise<AppliedCommand | null> {
  const row = await db
    .selectFrom('applied_commands')
    .selectAll()
    .where('command_id', '=', commandId)
    .executeTakeFirst();
  return row
    ? {
        commandId: row.command_id,
        mailboxId: row.mailbox_id,
        generation: Number(row.generation),
        action: row.action,
        address: row.address,
        outcome: row.outcome,
        attempts: row.attempts,
        error: row.error,
        eventId: row.event_id,
        appliedAt: row.applied_at,
      }
    : null;
}

/** The newest generation the mail server holds for the mailbox by this log (applied or found already applied), or null. */
export async function findLastAppliedGeneration(
  db: Kysely<ProvisionerDb>,
  mailboxId: string,
): Promise<number | null> {
  const row = await db
    .selectFrom('applied_commands')
    .select((eb) => eb.fn.max('generation').as('generation'))
    .where('mailbox_id', '=', mailboxId)
    .where('outcome', 'in', ['applied', 'skipped'])
    .executeTakeFirst();
  return row?.generation == null ? null : Number(row.generation);
}

/** Records the command's outcome; a command that failed before (and was replayed) is overwritten. */
export async function upsertAppliedCommand(
  db: Kysely<ProvisionerDb>,
  c: Omit<AppliedCommand, 'appliedAt'> & { appliedAt: Date },
): Promise<void> {
  const values = {
    command_id: c.commandId,
    mailbox_id: c.mailboxId,
    generation: c.generation,
    action: c.action,
    address: c.address,
    outcome: c.outcome,
    attempts: c.attempts,
    error: c.error,
    event_id: c.eventId,
    applied_at: c.appliedAt,
  };
  await db
    .insertInto('applied_commands')
    .values(values)
    .onConflict((oc) =>
      oc.column('command_id').doUpdateSet({
        outcome: values.outcome,
        attempts: values.attempts,
        error: values.error,
        event_id: values.event_id,
        applied_at: values.applied_at,
      }),
    )
    .execute();
}

export async function listAppliedCommands(
  db: Kysely<ProvisionerDb>,
  filter: { mailboxId?: string; limit: number },
): Promise<AppliedCommand[]> {
  let q = db.selectFrom('applied_commands').selectAll().orderBy('applied_at', 'desc').limit(filter.limit);
  if (filter.mailboxId) q = q.where('mailbox_id', '=', filter.mailboxId);
  const rows = await q.execute();
  return rows.map((row) => ({
    commandId: row.command_id,
    mailboxId: row.mailbox_id,
    generation: Number(row.generation),
    action: row.action,
    address: row.address,
    outcome: row.outcome,
    attempts: row.attempts,
    error: row.error,
    eventId: row.event_id,
    appliedAt: row.applied_at,
  }));
}
