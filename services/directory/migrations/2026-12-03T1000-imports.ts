// Import of a province's existing mail system (issue 11 part 3): a mailbox whose address does not
// follow the province's rule is kept and flagged `legacy`; an import job keeps the files it was
// given (so an interrupted apply can continue without them) and one row per imported agency or
// mailbox keyed by what identifies it in the files, so a second run of the same files writes
// nothing. Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE mailboxes ADD COLUMN legacy boolean NOT NULL DEFAULT false`.execute(db);
  await sql`
    CREATE TABLE import_jobs (
      id uuid PRIMARY KEY,
      province text NOT NULL,
      digest text NOT NULL,
      state text NOT NULL CHECK (state IN ('planned', 'applying', 'applied', 'failed')),
      agencies_text text NOT NULL,
      mailboxes_text text NOT NULL,
      mailboxes_format text NOT NULL,
      agency_count integer NOT NULL,
      mailbox_count integer NOT NULL,
      legacy_count integer NOT NULL,
      conflict_count integer NOT NULL,
      error text,
      created_at timestamptz NOT NULL,
      apply_started_at timestamptz,
      applied_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX import_jobs_digest_idx ON import_jobs (province, digest)`.execute(db);
  await sql`
    CREATE TABLE import_rows (
      province text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('agency', 'mailbox')),
      key text NOT NULL,
      job_id uuid NOT NULL REFERENCES import_jobs(id),
      entity_id uuid NOT NULL,
      target_state text,
      published boolean NOT NULL DEFAULT false,
      at timestamptz NOT NULL,
      PRIMARY KEY (province, kind, key)
    )`.execute(db);
  await sql`CREATE INDEX import_rows_job_idx ON import_rows (job_id, kind)`.execute(db);
  await sql`CREATE INDEX import_rows_entity_idx ON import_rows (entity_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE import_rows`.execute(db);
  await sql`DROP TABLE import_jobs`.execute(db);
  await sql`ALTER TABLE mailboxes DROP COLUMN legacy`.execute(db);
}
