// Provisioner schema: the log of applied commands (one row per command id, with its outcome) and
// the dead letters an operator can list and replay. Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE applied_commands (
      command_id text PRIMARY KEY,
      mailbox_id text NOT NULL,
      generation bigint NOT NULL,
      action text NOT NULL,
      address text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('applied', 'skipped', 'failed')),
      attempts integer NOT NULL,
      error text,
      event_id text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX applied_commands_mailbox_idx ON applied_commands (mailbox_id, generation)`.execute(
    db,
  );
  await sql`
    CREATE TABLE dead_letters (
      id uuid PRIMARY KEY,
      source_key text NOT NULL UNIQUE,
      event_id text,
      command_id text,
      mailbox_id text,
      topic text NOT NULL,
      partition integer NOT NULL,
      "offset" text NOT NULL,
      message_key text,
      payload text,
      headers jsonb NOT NULL DEFAULT '{}',
      error text NOT NULL,
      attempts integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      replayed_at timestamptz,
      replay_event_id text
    )`.execute(db);
  await sql`CREATE INDEX dead_letters_created_idx ON dead_letters (created_at DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE dead_letters`.execute(db);
  await sql`DROP TABLE applied_commands`.execute(db);
}
