// Several domains per province (one primary, any number of alias domains, with history) and
// reorganisations (effective-dated plans of changes to the agency tree: dry run, two approvals,
// resumable bulk apply). Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE province_domains (
      id uuid PRIMARY KEY,
      province text NOT NULL,
      domain text NOT NULL UNIQUE CHECK (domain = lower(domain)),
      kind text NOT NULL CHECK (kind IN ('primary', 'alias')),
      generation integer NOT NULL DEFAULT 0,
      added_at timestamptz NOT NULL,
      added_by text NOT NULL,
      reason text
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX province_domains_one_primary ON province_domains (province) WHERE kind = 'primary'`.execute(
    db,
  );
  await sql`
    CREATE TABLE province_domain_history (
      id bigserial PRIMARY KEY,
      province text NOT NULL,
      domain text NOT NULL,
      change text NOT NULL,
      at timestamptz NOT NULL,
      actor text NOT NULL,
      reason text
    )`.execute(db);
  await sql`CREATE INDEX province_domain_history_idx ON province_domain_history (province, at)`.execute(db);
  await sql`ALTER TABLE provisioning_commands DROP CONSTRAINT IF EXISTS provisioning_commands_target_check`.execute(
    db,
  );
  await sql`ALTER TABLE provisioning_commands ADD CONSTRAINT provisioning_commands_target_check
    CHECK (target IN ('mailbox', 'alias', 'group', 'domain'))`.execute(db);

  // an agency merged away or dissolved by a reorganisation stays (history, its name held back)
  await sql`ALTER TABLE agencies ADD COLUMN dissolved_at timestamptz`.execute(db);
  await sql`ALTER TABLE agencies ADD COLUMN dissolved_into uuid REFERENCES agencies(id)`.execute(db);
  // the province an agency belonged to before a merger of provinces (plans name agencies by it)
  await sql`ALTER TABLE agencies ADD COLUMN former_province text`.execute(db);

  await sql`
    CREATE TABLE reorganisations (
      id uuid PRIMARY KEY,
      plan jsonb NOT NULL,
      plan_digest text NOT NULL,
      title text NOT NULL,
      effective_from date NOT NULL,
      state text NOT NULL CHECK (state IN ('computed', 'approved', 'applying', 'applied')),
      summary jsonb NOT NULL,
      structure jsonb NOT NULL,
      conflict_count integer NOT NULL,
      change_count integer NOT NULL,
      applied_count integer NOT NULL DEFAULT 0,
      structure_done boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL,
      created_by text NOT NULL,
      apply_started_at timestamptz,
      applied_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX reorganisations_digest_idx ON reorganisations (plan_digest, state)`.execute(db);
  await sql`
    CREATE TABLE reorganisation_changes (
      reorganisation_id uuid NOT NULL REFERENCES reorganisations(id),
      seq integer NOT NULL,
      mailbox_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('readdress', 'move', 'retire', 'alias')),
      agency_id uuid NOT NULL,
      from_agency_id uuid NOT NULL,
      from_address text NOT NULL,
      to_address text NOT NULL,
      alias_target_agency_id uuid,
      display_name text NOT NULL,
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'applied', 'skipped')),
      note text,
      applied_at timestamptz,
      PRIMARY KEY (reorganisation_id, seq)
    )`.execute(db);
  await sql`CREATE INDEX reorganisation_changes_pending ON reorganisation_changes (reorganisation_id, seq) WHERE state = 'pending'`.execute(
    db,
  );
  await sql`
    CREATE TABLE reorganisation_approvals (
      reorganisation_id uuid NOT NULL REFERENCES reorganisations(id),
      operator text NOT NULL,
      reason text NOT NULL,
      at timestamptz NOT NULL,
      PRIMARY KEY (reorganisation_id, operator)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE reorganisation_approvals`.execute(db);
  await sql`DROP TABLE reorganisation_changes`.execute(db);
  await sql`DROP TABLE reorganisations`.execute(db);
  await sql`ALTER TABLE agencies DROP COLUMN former_province`.execute(db);
  await sql`ALTER TABLE agencies DROP COLUMN dissolved_into`.execute(db);
  await sql`ALTER TABLE agencies DROP COLUMN dissolved_at`.execute(db);
  await sql`DROP TABLE province_domain_history`.execute(db);
  await sql`DROP TABLE province_domains`.execute(db);
}
