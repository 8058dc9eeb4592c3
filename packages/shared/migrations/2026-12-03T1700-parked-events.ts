// Parked events, shared by every service: a message an inbox consumer could not handle (not a
// valid event, a PermanentError, or a non-transient error repeated maxAttempts times) is kept
// here before its offset is committed, so nothing accepted is lost; an operator replays it once
// the cause is fixed (src/parked-events.ts). Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE parked_events (
      id uuid PRIMARY KEY,
      consumer text NOT NULL,
      topic text NOT NULL,
      partition integer NOT NULL,
      "offset" bigint NOT NULL,
      message_key text,
      headers jsonb NOT NULL DEFAULT '{}',
      event_id text,
      event_type text,
      -- the message value: as JSON when it is JSON PostgreSQL takes, else its bytes as they came
      payload jsonb,
      raw bytea,
      error text NOT NULL,
      attempts integer NOT NULL,
      parked_at timestamptz NOT NULL DEFAULT now(),
      replay_attempts integer NOT NULL DEFAULT 0,
      last_replay_at timestamptz,
      replayed_at timestamptz,
      replayed_by text,
      replay_outcome text,
      UNIQUE (consumer, topic, partition, "offset")
    )`.execute(db);
  await sql`CREATE INDEX parked_events_open_idx ON parked_events (parked_at DESC) WHERE replayed_at IS NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE parked_events`.execute(db);
}
