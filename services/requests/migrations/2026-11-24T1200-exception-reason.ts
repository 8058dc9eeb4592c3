// Đắk Nông Điều 5: a personal create may ask for a second mailbox for a person who holds one, with
// the reason the regulation's "special case" needs. Frozen.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE request_items ADD COLUMN exception_reason text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE request_items DROP COLUMN exception_reason`.execute(db);
}
