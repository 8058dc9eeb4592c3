// The provisioning commands this service issued, so results can be matched to them.
import { type Kysely, sql } from 'kysely';
import type { DirectoryDatabase } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

export interface IssuedCommand {
  commandId: string;
  mailboxId: string;
  generation: number;
  action: string;
  requestId: string | null;
  itemId: string | null;
  /** What the command is about: a mailbox (default), an alias or a group address. */
  target?: 'mailbox' | 'alias' | 'group' | 'domain';
  /** When it was issued, where not the batch's `at` (a batch of items, each at its own time). */
  issuedAt?: Date;
}

export async function insertIssuedCommand(db: Db, command: IssuedCommand, at: Date): Promise<void> {
  await insertIssuedCommands(db, [command], at);
}

export async function insertIssuedCommands(
  db: Db,
  commands: readonly IssuedCommand[],
  at: Date,
): Promise<void> {
  for (let start = 0; start < commands.length; start += 1000) {
    await db
      .insertInto('provisioning_commands')
      .values(
        commands.slice(start, start + 1000).map((command) => ({
          command_id: command.commandId,
          mailbox_id: command.mailboxId,
          generation: command.generation,
          action: command.action,
          request_id: command.requestId,
          item_id: command.itemId,
          target: command.target ?? 'mailbox',
          issued_at: command.issuedAt ?? at,
        })),
      )
      .execute();
  }
}

export async function findIssuedCommand(db: Db, commandId: string): Promise<IssuedCommand | null> {
  return (await findIssuedCommands(db, [commandId])).get(commandId) ?? null;
}

/** The issued commands among these ids, locked, by command id (ids must be uuids). */
export async function findIssuedCommands(
  db: Db,
  commandIds: readonly string[],
): Promise<Map<string, IssuedCommand>> {
  if (commandIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('provisioning_commands')
    .selectAll()
    .where('command_id', 'in', [...new Set(commandIds)])
    .orderBy('command_id')
    .forUpdate()
    .execute();
  return new Map(
    rows.map((row) => [
      row.command_id,
      {
        commandId: row.command_id,
        mailboxId: row.mailbox_id,
        generation: row.generation,
        action: row.action,
        requestId: row.request_id,
        itemId: row.item_id,
      },
    ]),
  );
}

export async function recordCommandResult(
  db: Db,
  commandId: string,
  result: { outcome: string; error: string | null },
  at: Date,
): Promise<void> {
  await recordCommandResults(db, [{ commandId, ...result }], at);
}

/** Many commands' results in one statement. */
export async function recordCommandResults(
  db: Db,
  results: readonly { commandId: string; outcome: string; error: string | null }[],
  at: Date,
): Promise<void> {
  if (results.length === 0) return;
  await sql`
    UPDATE provisioning_commands c SET outcome = r.outcome, error = r.error, resulted_at = ${at}
      FROM unnest(${results.map((r) => r.commandId)}::uuid[], ${results.map((r) => r.outcome)}::text[],
                  ${results.map((r) => r.error)}::text[]) AS r(command_id, outcome, error)
     WHERE c.command_id = r.command_id`.execute(db);
}
