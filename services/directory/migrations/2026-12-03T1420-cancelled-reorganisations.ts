// A reorganisation not yet being applied (computed, approved or scheduled for its effective date)
// can be cancelled by an operator with a reason: state `cancelled`, who, when and why kept. A
// cancelled plan is never applied and a plan posted again gets a new dry run. Frozen: change by
// adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE reorganisations DROP CONSTRAINT IF EXISTS reorganisations_state_check`.execute(db);
  await sql`
    ALTER TABLE reorganisations ADD CONSTRAINT reorganisations_state_check
      CHECK (state IN ('computed', 'approved', 'scheduled', 'applying', 'applied', 'cancelled'))`.execute(db);
  await sql`
    ALTER TABLE reorganisations
      ADD COLUMN cancelled_by text,
      ADD COLUMN cancelled_at timestamptz,
      ADD COLUMN cancel_reason text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE reorganisations DROP COLUMN cancelled_by, DROP COLUMN cancelled_at, DROP COLUMN cancel_reason`.execute(
    db,
  );
  await sql`DELETE FROM reorganisation_changes WHERE reorganisation_id IN (SELECT id FROM reorganisations WHERE state = 'cancelled')`.execute(
    db,
  );
  await sql`DELETE FROM reorganisation_approvals WHERE reorganisation_id IN (SELECT id FROM reorganisations WHERE state = 'cancelled')`.execute(
    db,
  );
  await sql`DELETE FROM reorganisations WHERE state = 'cancelled'`.execute(db);
  await sql`ALTER TABLE reorganisations DROP CONSTRAINT reorganisations_state_check`.execute(db);
  await sql`
    ALTER TABLE reorganisations ADD CONSTRAINT reorganisations_state_check
      CHECK (state IN ('computed', 'approved', 'scheduled', 'applying', 'applied'))`.execute(db);
}
