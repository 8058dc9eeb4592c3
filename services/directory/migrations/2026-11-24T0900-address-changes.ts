// Address changes (transfer, agency rename, conversion to the current rule): the old address stays
// an alias of the mailbox for a transition period, so aliases get an optional end and a kind.
// Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE aliases ADD COLUMN expires_at timestamptz`.execute(db);
  // 'transition': the old address after an address change; 'alias': added by an operator.
  await sql`ALTER TABLE aliases ADD COLUMN kind text NOT NULL DEFAULT 'alias' CHECK (kind IN ('alias', 'transition'))`.execute(
    db,
  );
  await sql`CREATE INDEX aliases_domain_local_idx ON aliases (domain, local_part)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX aliases_domain_local_idx`.execute(db);
  await sql`ALTER TABLE aliases DROP COLUMN kind`.execute(db);
  await sql`ALTER TABLE aliases DROP COLUMN expires_at`.execute(db);
}
