// The provisioning commands this service issued, so results can be matched to them.
import type { Kysely } from 'kysely';
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
}

export async function insertIssuedCommand(db: Db, command: IssuedCommand, at: Date): Promise<void> {
  await db
    .insertInto('provisioning_commands')
    .values({
      command_id: command.commandId,
      mailbox_id: command.mailboxId,
      generation: command.generation,
      action: command.action,
      request_id: command.requestId,
      item_id: command.itemId,
      target: command.target ?? 'mailbox',
      issued_at: at,
    })
    .execute();
}

export async function findIssuedCommand(db: Db, commandId: string): Promise<IssuedCommand | null> {
  const row = await db
    .selectFrom('provisioning_commands')
    .selectAll()
    .where('command_id', '=', commandId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return null;
  return {
    commandId: row.command_id,
    mailboxId: row.mailbox_id,
    generation: row.generation,
    action: row.action,
    requestId: row.request_id,
    itemId: row.item_id,
  };
}

export async function recordCommandResult(
  db: Db,
  commandId: string,
  result: { outcome: string; error: string | null },
  at: Date,
): Promise<void> {
  await db
    .updateTable('provisioning_commands')
    .set({ outcome: result.outcome, error: result.error, resulted_at: at })
    .where('command_id', '=', commandId)
    .execute();
}
