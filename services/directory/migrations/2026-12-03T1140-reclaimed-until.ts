// Kiên Giang Điều 5 khoản 4: a reclaimed mailbox may be reissued, so reclaim locks it and keeps its
// address and mail until this time (the policy's retention), when the sweep deletes it; a restore
// (the reissue) clears it. Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE mailboxes ADD COLUMN reclaimed_until timestamptz`.execute(db);
  await sql`CREATE INDEX mailboxes_reclaimed_until_idx ON mailboxes (reclaimed_until) WHERE reclaimed_until IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX mailboxes_reclaimed_until_idx`.execute(db);
  await sql`ALTER TABLE mailboxes DROP COLUMN reclaimed_until`.execute(db);
}
