// Outbox and inbox tables, shared by every service. Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE outbox (
      id uuid PRIMARY KEY,
      seq bigserial NOT NULL,
      topic text NOT NULL,
      key text NOT NULL,
      payload jsonb NOT NULL,
      headers jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      processed_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX outbox_pending_idx ON outbox (seq) WHERE processed_at IS NULL`.execute(db);
  await sql`
    CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_notify('outbox', ''); RETURN NULL; END $$`.execute(db);
  await sql`CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`.execute(
    db,
  );
  await sql`
    CREATE TABLE inbox (
      consumer text NOT NULL,
      event_id text NOT NULL,
      topic text NOT NULL,
      event_type text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE inbox`.execute(db);
  await sql`DROP TABLE outbox`.execute(db);
  await sql`DROP FUNCTION outbox_notify`.execute(db);
}
