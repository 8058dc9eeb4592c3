// An agency registration's idempotency key: the same key registering the same abbreviation again
// answers the agency it registered; any other registration of a taken abbreviation is refused
// (409 naming the holder). Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE agencies ADD COLUMN registration_key text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE agencies DROP COLUMN registration_key`.execute(db);
}
