// Notifier schema: agency replica, webhook subscriptions, deadlines with their durable timers,
// operator warnings, and deliveries (mail, webhook) with every attempt. Frozen: change by adding
// a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE agencies (
      agency_id text PRIMARY KEY,
      province text NOT NULL,
      domain text NOT NULL,
      name text NOT NULL,
      abbreviation text NOT NULL,
      official_mailbox text,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE webhook_subscriptions (
      agency_id text PRIMARY KEY,
      url text NOT NULL,
      secret text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE deadlines (
      request_id text PRIMARY KEY,
      agency_id text NOT NULL,
      province text NOT NULL,
      reference jsonb NOT NULL,
      item_count integer NOT NULL,
      received_at timestamptz NOT NULL,
      due_at timestamptz NOT NULL,
      closed_at timestamptz,
      final_status text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // One row per timer of a deadline; the sweeper claims due ones with FOR UPDATE SKIP LOCKED.
  await sql`
    CREATE TABLE deadline_timers (
      request_id text NOT NULL REFERENCES deadlines(request_id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('half_time', 'due_day_morning', 'breach')),
      fire_at timestamptz NOT NULL,
      fired_at timestamptz,
      cancelled_at timestamptz,
      PRIMARY KEY (request_id, kind)
    )`.execute(db);
  await sql`
    CREATE INDEX deadline_timers_due_idx ON deadline_timers (fire_at)
    WHERE fired_at IS NULL AND cancelled_at IS NULL`.execute(db);
  await sql`
    CREATE TABLE warnings (
      id uuid PRIMARY KEY,
      request_id text NOT NULL,
      kind text NOT NULL,
      agency_id text NOT NULL,
      reference jsonb NOT NULL,
      received_at timestamptz NOT NULL,
      due_at timestamptz NOT NULL,
      fire_at timestamptz NOT NULL,
      fired_at timestamptz NOT NULL,
      UNIQUE (request_id, kind)
    )`.execute(db);
  await sql`CREATE INDEX warnings_fired_idx ON warnings (fired_at DESC)`.execute(db);
  await sql`
    CREATE TABLE deliveries (
      id uuid PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('mail', 'webhook')),
      purpose text NOT NULL,
      request_id text,
      agency_id text,
      target text,
      payload jsonb NOT NULL,
      body text,
      message_id text,
      webhook_id text,
      status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      last_error text,
      created_at timestamptz NOT NULL,
      delivered_at timestamptz,
      UNIQUE (request_id, purpose)
    )`.execute(db);
  await sql`
    CREATE INDEX deliveries_pending_idx ON deliveries (next_attempt_at) WHERE status = 'pending'`.execute(db);
  await sql`
    CREATE TABLE delivery_attempts (
      id bigserial PRIMARY KEY,
      delivery_id uuid NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
      attempt integer NOT NULL,
      started_at timestamptz NOT NULL,
      finished_at timestamptz NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed')),
      status_code integer,
      error text,
      UNIQUE (delivery_id, attempt)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'delivery_attempts',
    'deliveries',
    'warnings',
    'deadline_timers',
    'deadlines',
    'webhook_subscriptions',
    'agencies',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)}`.execute(db);
  }
}
