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

/** findAppliedCommand for many command ids at once (a bulk command), by command id. */
export async function findAppliedCommands(
  db: Kysely<ProvisionerDb>,
  commandIds: readonly string[],
): Promise<Map<string, Pick<AppliedCommand, 'commandId' | 'outcome'>>> {
  if (commandIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('applied_commands')
    .select(['command_id', 'outcome'])
    .where('command_id', 'in', [...commandIds])
    .execute();
  return new Map(rows.map((r) => [r.command_id, { commandId: r.command_id, outcome: r.outcome }]));
}

/** findLastAppliedGeneration for many mailboxes at once: only mailboxes with a generation appear. */
export async function findLastAppliedGenerations(
  db: Kysely<ProvisionerDb>,
  mailboxIds: readonly string[],
): Promise<Map<string, number>> {
  if (mailboxIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('applied_commands')
    .select(['mailbox_id', (eb) => eb.fn.max('generation').as('generation')])
    .where('mailbox_id', 'in', [...new Set(mailboxIds)])
    .where('outcome', 'in', ['applied', 'skipped'])
    .groupBy('mailbox_id')
    .execute();
  return new Map(rows.map((r) => [r.mailbox_id, Number(r.generation)]));
}

/** Records the command's outcome; a command that failed before (and was replayed) is overwritten. */
export async function upsertAppliedCommand(
  db: Kysely<ProvisionerDb>,
  c: Omit<AppliedCommand, 'appliedAt'> & { appliedAt: Date },
): Promise<void> {
  await upsertAppliedCommands(db, [c]);
}

/** upsertAppliedCommand for many commands in one statement; command ids must be distinct. */
export async function upsertAppliedCommands(
  db: Kysely<ProvisionerDb>,
  commands: readonly (Omit<AppliedCommand, 'appliedAt'> & { appliedAt: Date })[],
): Promise<void> {
  if (commands.length === 0) return;
  await db
    .insertInto('applied_commands')
    .values(
      commands.map((c) => ({
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
      })),
    )
    .onConflict((oc) =>
      oc.column('command_id').doUpdateSet((eb) => ({
        outcome: eb.ref('excluded.outcome'),
        attempts: eb.ref('excluded.attempts'),
        error: eb.ref('excluded.error'),
        event_id: eb.ref('excluded.event_id'),
        applied_at: eb.ref('excluded.applied_at'),
      })),
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

/** When the mailbox's newest delete before `beforeGeneration` was applied on the mail server; null when none. */
export async function findAppliedDeleteAt(
  db: Kysely<ProvisionerDb>,
  mailboxId: string,
  beforeGeneration: number,
): Promise<Date | null> {
  const row = await db
    .selectFrom('applied_commands')
    .select('applied_at')
    .where('mailbox_id', '=', mailboxId)
    .where('action', '=', 'delete')
    .where('outcome', '=', 'applied')
    .where('generation', '<', beforeGeneration)
    .orderBy('generation', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? new Date(row.applied_at) : null;
}
