// A parked event an operator closes without replaying it (a message no code will ever read, an
// item the consumer already answered failed) keeps why: replay_outcome 'dismissed', the operator in
// replayed_by and the reason here. Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE parked_events ADD COLUMN dismiss_reason text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE parked_events DROP COLUMN dismiss_reason`.execute(db);
}
