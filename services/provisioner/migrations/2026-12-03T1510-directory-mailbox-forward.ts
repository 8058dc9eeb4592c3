// The replica of the directory's mailboxes keeps each one's forward (forwardTo of its published
// state), so the drift check compares the forward row on the mailbox's address. Frozen: change by
// adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE directory_mailboxes ADD COLUMN forward_to text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE directory_mailboxes DROP COLUMN forward_to`.execute(db);
}
