// When the relay handled a row, so a profile can split an event's wait in its outbox
// (scripts/profile-pipeline.ts): woken_at is when the post-commit signal that woke the relay came
// (about the commit of the row's transaction; NULL when the relay found the row without one, at
// its sweep or while still publishing an earlier batch), published_at when the broker had
// acknowledged the row (processed_at stays the relay transaction's start). Nullable without a
// default: adding them rewrites nothing. Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE outbox ADD COLUMN woken_at timestamptz, ADD COLUMN published_at timestamptz`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE outbox DROP COLUMN woken_at, DROP COLUMN published_at`.execute(db);
}
