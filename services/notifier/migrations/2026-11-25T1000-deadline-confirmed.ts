// Whether a deadline was computed on a confirmed holiday calendar (the submitted event's optional
// dueConfirmed); null for deadlines scheduled before, or from events without it. Frozen.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE deadlines ADD COLUMN due_confirmed boolean`.execute(db);
  // The SLA board lists open deadlines by due time.
  await sql`CREATE INDEX deadlines_open_due_idx ON deadlines (due_at) WHERE closed_at IS NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS deadlines_open_due_idx`.execute(db);
  await sql`ALTER TABLE deadlines DROP COLUMN due_confirmed`.execute(db);
}
