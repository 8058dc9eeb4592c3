// A mailbox's forward (set_forward / clear_forward; Bắc Ninh Điều 8 khoản 5 limits the target):
// where its mail goes too, a copy kept in the mailbox; null without one. Frozen: change by adding
// a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE mailboxes ADD COLUMN forward_to text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE mailboxes DROP COLUMN forward_to`.execute(db);
}
