// Issued passwords (regulations §5): when the mailbox's current password was issued (create, reset,
// a restore with a new password) and when its holder last chose one on the self-service page. Kiên
// Giang locks a mailbox whose issued password is still unchanged 5 working days on. Frozen: change
// by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE mailboxes ADD COLUMN password_issued_at timestamptz`.execute(db);
  await sql`ALTER TABLE mailboxes ADD COLUMN password_changed_at timestamptz`.execute(db);
  await sql`
    CREATE INDEX mailboxes_issued_password_idx ON mailboxes (province, password_issued_at)
     WHERE state = 'active' AND password_issued_at IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX mailboxes_issued_password_idx`.execute(db);
  await sql`ALTER TABLE mailboxes DROP COLUMN password_changed_at`.execute(db);
  await sql`ALTER TABLE mailboxes DROP COLUMN password_issued_at`.execute(db);
}
