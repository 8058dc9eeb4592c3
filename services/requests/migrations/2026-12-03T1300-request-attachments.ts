// The scan of a paper request (Mẫu 01/02/03, Bắc Ninh's Phụ lục 2) an operator typed in on the
// console: the PDF kept with its request, with the form it was and who entered it. Frozen: change
// by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE request_attachments (
      id uuid PRIMARY KEY,
      request_id uuid NOT NULL REFERENCES requests (id),
      form text NOT NULL CHECK (form IN ('mau01', 'mau02', 'mau03', 'bn_pl2')),
      file_name text NOT NULL,
      content_type text NOT NULL,
      size_bytes integer NOT NULL CHECK (size_bytes > 0),
      sha256 text NOT NULL,
      content bytea NOT NULL,
      uploaded_by text NOT NULL,
      created_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX request_attachments_request_idx ON request_attachments (request_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE request_attachments`.execute(db);
}
