// A reorganisation approved and asked to apply before its effective date waits as `scheduled`;
// the directory's schedule loop applies it on that date (issue 12). Frozen: change by adding a
// migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE reorganisations DROP CONSTRAINT IF EXISTS reorganisations_state_check`.execute(db);
  await sql`
    ALTER TABLE reorganisations ADD CONSTRAINT reorganisations_state_check
      CHECK (state IN ('computed', 'approved', 'scheduled', 'applying', 'applied'))`.execute(db);
  await sql`ALTER TABLE reorganisations ADD COLUMN scheduled_by text`.execute(db);
  await sql`CREATE INDEX reorganisations_scheduled_idx ON reorganisations (effective_from) WHERE state = 'scheduled'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX reorganisations_scheduled_idx`.execute(db);
  await sql`ALTER TABLE reorganisations DROP COLUMN scheduled_by`.execute(db);
  await sql`UPDATE reorganisations SET state = 'approved' WHERE state = 'scheduled'`.execute(db);
  await sql`ALTER TABLE reorganisations DROP CONSTRAINT reorganisations_state_check`.execute(db);
  await sql`
    ALTER TABLE reorganisations ADD CONSTRAINT reorganisations_state_check
      CHECK (state IN ('computed', 'approved', 'applying', 'applied'))`.execute(db);
}
