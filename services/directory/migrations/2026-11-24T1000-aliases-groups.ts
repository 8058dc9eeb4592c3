// Operator aliases and group addresses reach the mail server through provisioning commands of
// their own (set_alias / remove_alias), keyed by the alias's or group's id with its own generation,
// so commands are no longer only about mailboxes. Groups (Đắk Nông internal@, internal.<agency>@)
// are derived from the agency tree; allowed senders are recorded with them. Agency versions record
// who changed a name or parent and why. Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE provisioning_commands DROP CONSTRAINT IF EXISTS provisioning_commands_mailbox_id_fkey`.execute(
    db,
  );
  await sql`ALTER TABLE provisioning_commands ADD COLUMN target text NOT NULL DEFAULT 'mailbox'
    CHECK (target IN ('mailbox', 'alias', 'group'))`.execute(db);
  await sql`ALTER TABLE aliases ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid()`.execute(db);
  await sql`ALTER TABLE aliases ADD COLUMN generation integer NOT NULL DEFAULT 0`.execute(db);
  await sql`CREATE UNIQUE INDEX aliases_id_key ON aliases (id)`.execute(db);
  await sql`
    CREATE TABLE mail_groups (
      id uuid PRIMARY KEY,
      address text NOT NULL,
      local_part text NOT NULL,
      domain text NOT NULL,
      province text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('province', 'agency')),
      agency_id uuid REFERENCES agencies(id),
      allowed_senders text[] NOT NULL DEFAULT '{}',
      members_hash text,
      generation integer NOT NULL DEFAULT 0,
      state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'deleted')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'agency') = (agency_id IS NOT NULL))
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX mail_groups_address_key ON mail_groups (address) WHERE state = 'active'`.execute(
    db,
  );
  await sql`ALTER TABLE agency_versions ADD COLUMN reason text`.execute(db);
  await sql`ALTER TABLE agency_versions ADD COLUMN actor text`.execute(db);
  await sql`CREATE INDEX agency_versions_agency_idx ON agency_versions (agency_id, valid_from)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX agency_versions_agency_idx`.execute(db);
  await sql`ALTER TABLE agency_versions DROP COLUMN actor`.execute(db);
  await sql`ALTER TABLE agency_versions DROP COLUMN reason`.execute(db);
  await sql`DROP TABLE mail_groups`.execute(db);
  await sql`DROP INDEX aliases_id_key`.execute(db);
  await sql`ALTER TABLE aliases DROP COLUMN generation`.execute(db);
  await sql`ALTER TABLE aliases DROP COLUMN id`.execute(db);
  await sql`ALTER TABLE provisioning_commands DROP COLUMN target`.execute(db);
}
