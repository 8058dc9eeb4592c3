// Directory schema: agencies, people, mailboxes, aliases, reserved and retired addresses, the
// commands issued to the provisioner, operator decisions and the mailbox history.
// Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE agencies (
      id uuid PRIMARY KEY,
      province text NOT NULL,
      domain text NOT NULL,
      name text NOT NULL,
      folded_name text NOT NULL,
      abbreviation text NOT NULL,
      unit_type text NOT NULL,
      parent_id uuid REFERENCES agencies(id),
      unit_code text,
      official_mailbox_id uuid,
      valid_from timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (province, abbreviation)
    )`.execute(db);
  await sql`CREATE INDEX agencies_parent_idx ON agencies (parent_id)`.execute(db);
  // Effective-dated names and parents: each change of name or parent closes the current row here.
  await sql`
    CREATE TABLE agency_versions (
      id bigserial PRIMARY KEY,
      agency_id uuid NOT NULL REFERENCES agencies(id),
      name text NOT NULL,
      abbreviation text NOT NULL,
      parent_id uuid,
      valid_from timestamptz NOT NULL,
      valid_to timestamptz
    )`.execute(db);
  await sql`
    CREATE TABLE people (
      id uuid PRIMARY KEY,
      province text NOT NULL,
      family_name text NOT NULL,
      middle_name text NOT NULL,
      given_name text NOT NULL,
      folded_name text NOT NULL,
      person_key text,
      position text,
      department text,
      agency_id uuid NOT NULL REFERENCES agencies(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX people_folded_name_idx ON people (folded_name text_pattern_ops)`.execute(db);
  await sql`CREATE UNIQUE INDEX people_person_key_idx ON people (province, person_key) WHERE person_key IS NOT NULL`.execute(
    db,
  );
  await sql`
    CREATE TABLE mailboxes (
      id uuid PRIMARY KEY,
      address text NOT NULL,
      local_part text NOT NULL,
      domain text NOT NULL,
      province text NOT NULL,
      type text NOT NULL CHECK (type IN ('personal', 'agency')),
      state text NOT NULL CHECK (state IN ('provisioning', 'active', 'suspended', 'locked', 'deleted')),
      agency_id uuid NOT NULL REFERENCES agencies(id),
      person_id uuid REFERENCES people(id),
      quota_bytes bigint NOT NULL,
      generation integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((type = 'personal') = (person_id IS NOT NULL))
    )`.execute(db);
  // The final judge of collisions: no two live mailboxes share an address. A deleted mailbox's
  // address is held back by retired_addresses for the configured period, then may be reissued.
  await sql`CREATE UNIQUE INDEX mailboxes_address_key ON mailboxes (address) WHERE state <> 'deleted'`.execute(
    db,
  );
  // One personal mailbox per person per province.
  await sql`
    CREATE UNIQUE INDEX mailboxes_one_personal_key ON mailboxes (person_id, province)
    WHERE type = 'personal' AND state <> 'deleted'`.execute(db);
  // Exactly one agency mailbox per agency.
  await sql`
    CREATE UNIQUE INDEX mailboxes_one_agency_key ON mailboxes (agency_id)
    WHERE type = 'agency' AND state <> 'deleted'`.execute(db);
  await sql`CREATE INDEX mailboxes_domain_local_idx ON mailboxes (domain, local_part text_pattern_ops)`.execute(
    db,
  );
  await sql`CREATE INDEX mailboxes_agency_idx ON mailboxes (agency_id)`.execute(db);
  await sql`
    CREATE TABLE aliases (
      address text PRIMARY KEY,
      local_part text NOT NULL,
      domain text NOT NULL,
      mailbox_id uuid NOT NULL REFERENCES mailboxes(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX aliases_mailbox_idx ON aliases (mailbox_id)`.execute(db);
  await sql`
    CREATE TABLE reserved_addresses (
      domain text NOT NULL,
      local_part text NOT NULL,
      reason text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (domain, local_part)
    )`.execute(db);
  await sql`
    CREATE TABLE retired_addresses (
      id bigserial PRIMARY KEY,
      address text NOT NULL,
      local_part text NOT NULL,
      domain text NOT NULL,
      mailbox_id uuid NOT NULL,
      retired_at timestamptz NOT NULL,
      hold_until timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX retired_addresses_lookup_idx ON retired_addresses (domain, local_part, hold_until)`.execute(
    db,
  );
  await sql`
    CREATE TABLE provisioning_commands (
      command_id uuid PRIMARY KEY,
      mailbox_id uuid NOT NULL REFERENCES mailboxes(id),
      generation integer NOT NULL,
      action text NOT NULL,
      request_id text,
      item_id text,
      issued_at timestamptz NOT NULL DEFAULT now(),
      outcome text,
      error text,
      resulted_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX provisioning_commands_mailbox_idx ON provisioning_commands (mailbox_id, generation)`.execute(
    db,
  );
  await sql`
    CREATE TABLE pending_decisions (
      id uuid PRIMARY KEY,
      item_id text NOT NULL UNIQUE,
      request_id text NOT NULL,
      agency_id uuid NOT NULL,
      province text NOT NULL,
      item jsonb NOT NULL,
      candidates text[] NOT NULL,
      reason text NOT NULL,
      correlation_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      decided_at timestamptz,
      decided_address text,
      decided_by text
    )`.execute(db);
  await sql`CREATE INDEX pending_decisions_open_idx ON pending_decisions (created_at) WHERE decided_at IS NULL`.execute(
    db,
  );
  await sql`
    CREATE TABLE mailbox_history (
      id bigserial PRIMARY KEY,
      mailbox_id uuid NOT NULL REFERENCES mailboxes(id),
      at timestamptz NOT NULL,
      change text NOT NULL,
      reason text,
      request_id text,
      item_id text,
      actor text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}'
    )`.execute(db);
  await sql`CREATE INDEX mailbox_history_mailbox_idx ON mailbox_history (mailbox_id, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'mailbox_history',
    'pending_decisions',
    'provisioning_commands',
    'retired_addresses',
    'reserved_addresses',
    'aliases',
    'mailboxes',
    'people',
    'agency_versions',
    'agencies',
  ]) {
    await sql`DROP TABLE ${sql.table(table)}`.execute(db);
  }
}
