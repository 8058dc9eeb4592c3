// Console schema: operator accounts with roles, sessions (only a hash of each session token is
// stored), login attempts (rate limiting) and the audit log of operator actions. Frozen: change
// by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE operators (
      id uuid PRIMARY KEY,
      username text NOT NULL UNIQUE,
      display_name text NOT NULL,
      role text NOT NULL CHECK (role IN ('operator', 'admin')),
      password_hash text NOT NULL,
      disabled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE sessions (
      token_hash text PRIMARY KEY,
      operator_id uuid NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      client_ip text
    )`.execute(db);
  await sql`CREATE INDEX sessions_operator_idx ON sessions (operator_id)`.execute(db);
  await sql`CREATE INDEX sessions_expires_idx ON sessions (expires_at)`.execute(db);
  await sql`
    CREATE TABLE login_attempts (
      id bigserial PRIMARY KEY,
      username text NOT NULL,
      client_ip text NOT NULL,
      succeeded boolean NOT NULL,
      at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX login_attempts_user_idx ON login_attempts (username, at)`.execute(db);
  await sql`CREATE INDEX login_attempts_ip_idx ON login_attempts (client_ip, at)`.execute(db);
  await sql`
    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      operator_id uuid,
      username text NOT NULL,
      action text NOT NULL,
      target text,
      outcome text NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      client_ip text
    )`.execute(db);
  await sql`CREATE INDEX audit_log_at_idx ON audit_log (at DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE audit_log, login_attempts, sessions, operators`.execute(db);
}
