// SCIM 2.0 provisioning (docs/scim.md): the users an agency's identity provider created over SCIM
// (each one a person whose personal mailbox came through a create request), and the SCIM bearer
// tokens operators issue to an API client and can revoke (only their SHA-256 is kept). Frozen:
// change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE scim_tokens (
      id uuid PRIMARY KEY,
      client_id text NOT NULL REFERENCES api_clients (client_id),
      token_hash text NOT NULL UNIQUE,
      label text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX scim_tokens_client_idx ON scim_tokens (client_id)`.execute(db);
  await sql`
    CREATE TABLE scim_users (
      id uuid PRIMARY KEY,
      client_agency_id text NOT NULL,
      agency_id text NOT NULL,
      user_name text NOT NULL,
      external_id text,
      person jsonb NOT NULL,
      create_item_id uuid NOT NULL REFERENCES request_items (id),
      mailbox_id text,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      deleted_at timestamptz
    )`.execute(db);
  // userName is unique within the tenant (the agency of the client that created it), ignoring case
  // (RFC 7643 §4.1.1: caseExact false); a deleted user frees its userName.
  await sql`
    CREATE UNIQUE INDEX scim_users_user_name_idx ON scim_users (client_agency_id, lower(user_name))
    WHERE deleted_at IS NULL`.execute(db);
  await sql`CREATE INDEX scim_users_agency_idx ON scim_users (agency_id) WHERE deleted_at IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX scim_users_external_id_idx ON scim_users (external_id) WHERE deleted_at IS NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE scim_users`.execute(db);
  await sql`DROP TABLE scim_tokens`.execute(db);
}
