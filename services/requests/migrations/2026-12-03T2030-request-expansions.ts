// A bulk request (50 items or more) is answered once it is stored, and its items are written just
// after (domain/requests/expand-request.ts): until then this row holds what writing them needs,
// sealed with the data key (AES-256-GCM, as national IDs are: it holds the people's personal
// data), and the keyed hashes of the national IDs of its creates, for the duplicate-person check of
// a later request. The row is deleted in the transaction that writes the items. Frozen.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE request_expansions (
      request_id uuid PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
      payload_enc text NOT NULL,
      person_hashes text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

/** Fails while a request waits for its items: let the service write them first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE request_expansions`.execute(db);
}
