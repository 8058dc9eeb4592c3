// Each effective-dated version of an agency also carries its unit code (QĐ 20/2020/QĐ-TTg), so a
// re-code shows in the versions like a rename or a move; a dissolution records why and by whom on
// the agency. Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE agency_versions ADD COLUMN unit_code text`.execute(db);
  await sql`UPDATE agency_versions v SET unit_code = a.unit_code FROM agencies a
             WHERE a.id = v.agency_id AND v.valid_to IS NULL`.execute(db);
  await sql`ALTER TABLE agencies ADD COLUMN dissolved_reason text`.execute(db);
  await sql`ALTER TABLE agencies ADD COLUMN dissolved_by text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE agencies DROP COLUMN dissolved_by`.execute(db);
  await sql`ALTER TABLE agencies DROP COLUMN dissolved_reason`.execute(db);
  await sql`ALTER TABLE agency_versions DROP COLUMN unit_code`.execute(db);
}
