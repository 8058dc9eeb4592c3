// An imported mailbox without a password hash gets a one-time credential for its agency, as a new
// mailbox does (issue 11): once an import's mailboxes are all answered by the mail server the
// directory asks the requests service for them, once per job. Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE import_jobs ADD COLUMN credentials_requested_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE import_jobs DROP COLUMN credentials_requested_at`.execute(db);
}
