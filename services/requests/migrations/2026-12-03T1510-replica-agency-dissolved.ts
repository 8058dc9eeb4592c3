// When the directory dissolved a unit, as the replica learned it from the agency's state: a request
// for a dissolved unit is refused at submission (check-dissolved-unit.ts). Null for a live unit, and
// for units whose state was last published before the field existed. Frozen.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE agencies ADD COLUMN dissolved_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE agencies DROP COLUMN dissolved_at`.execute(db);
}
