// Requests service schema. Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE api_clients (
      client_id text PRIMARY KEY,
      agency_id text NOT NULL,
      name text NOT NULL,
      jwks jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      disabled_at timestamptz
    )`.execute(db);
  await sql`
    CREATE TABLE used_assertions (
      jti text PRIMARY KEY,
      client_id text NOT NULL,
      expires_at timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE agencies (
      agency_id text PRIMARY KEY,
      province text NOT NULL,
      domain text NOT NULL,
      name text NOT NULL,
      abbreviation text NOT NULL,
      parent_id text,
      ancestor_ids text[] NOT NULL,
      official_mailbox text,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE mailboxes (
      mailbox_id text PRIMARY KEY,
      address text NOT NULL UNIQUE,
      agency_id text NOT NULL,
      type text NOT NULL,
      state text NOT NULL,
      generation bigint NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE requests (
      id uuid PRIMARY KEY,
      client_id text NOT NULL,
      client_agency_id text NOT NULL,
      agency_id text NOT NULL,
      province text NOT NULL,
      status text NOT NULL,
      received_at timestamptz NOT NULL,
      due_at timestamptz NOT NULL,
      due_confirmed boolean NOT NULL,
      reference jsonb NOT NULL,
      requester jsonb NOT NULL,
      idempotency_key text NOT NULL,
      body_hash text NOT NULL,
      response jsonb NOT NULL,
      finished_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (client_id, idempotency_key)
    )`.execute(db);
  await sql`CREATE INDEX requests_client_agency_idx ON requests (client_agency_id, status, received_at DESC)`.execute(
    db,
  );
  await sql`
    CREATE TABLE request_items (
      id uuid PRIMARY KEY,
      request_id uuid NOT NULL REFERENCES requests(id),
      seq integer NOT NULL,
      operation text NOT NULL,
      mailbox_type text NOT NULL,
      agency_id text NOT NULL,
      status text NOT NULL,
      person jsonb,
      national_id_enc text,
      national_id_hash text,
      date_of_birth_enc text,
      address text,
      changes jsonb,
      reason text,
      result_address text,
      approvals text[] NOT NULL DEFAULT '{}',
      approvals_needed integer NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (request_id, seq)
    )`.execute(db);
  await sql`CREATE INDEX request_items_status_idx ON request_items (status)`.execute(db);
  await sql`CREATE INDEX request_items_national_id_idx ON request_items (national_id_hash)`.execute(db);
  await sql`
    CREATE TABLE item_transitions (
      id bigserial PRIMARY KEY,
      item_id uuid NOT NULL REFERENCES request_items(id),
      from_status text,
      to_status text NOT NULL,
      actor text NOT NULL,
      reason text,
      at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE credentials (
      item_id uuid PRIMARY KEY REFERENCES request_items(id),
      password_enc text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      opened_at timestamptz
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'credentials',
    'item_transitions',
    'request_items',
    'requests',
    'mailboxes',
    'agencies',
    'used_assertions',
    'api_clients',
  ]) {
    await sql`DROP TABLE ${sql.table(t)}`.execute(db);
  }
}
