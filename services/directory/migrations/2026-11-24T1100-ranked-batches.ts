// Kiên Giang serves the namesakes of one request by rank, but each item arrives as its own event.
// Items of such a request are staged here and handled together, highest rank first, once all of
// the request's items have been seen (request.submitted gives the count) or the batch has settled.
// Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE request_batches (
      request_id text PRIMARY KEY,
      province text NOT NULL,
      item_count integer NOT NULL,
      seen_count integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE staged_items (
      item_id text PRIMARY KEY,
      seq bigserial NOT NULL,
      request_id text NOT NULL,
      event jsonb NOT NULL,
      staged_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX staged_items_request_idx ON staged_items (request_id, seq)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE staged_items`.execute(db);
  await sql`DROP TABLE request_batches`.execute(db);
}
