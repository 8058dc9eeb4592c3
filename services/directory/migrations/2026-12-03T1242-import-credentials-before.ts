// Imports applied before their agencies received the credentials of passwordless mailboxes
// promised nothing more (their agencies reset those passwords by request, as the docs said then):
// they are marked as asked, so the new loop does not reset passwords imported long ago. Frozen:
// change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE import_jobs SET credentials_requested_at = coalesce(applied_at, created_at)
             WHERE state = 'applied' AND credentials_requested_at IS NULL`.execute(db);
}

export async function down(_db: Kysely<unknown>): Promise<void> {}
