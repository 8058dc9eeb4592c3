// Four operator roles (design §6): operator, approver, auditor, admin. Until now `operator` could
// also approve, so existing operators become approvers and keep what they could do; admins stay
// admins. Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE operators DROP CONSTRAINT IF EXISTS operators_role_check`.execute(db);
  await sql`UPDATE operators SET role = 'approver', updated_at = now() WHERE role = 'operator'`.execute(db);
  await sql`
    ALTER TABLE operators ADD CONSTRAINT operators_role_check
    CHECK (role IN ('operator', 'approver', 'auditor', 'admin'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE operators DROP CONSTRAINT IF EXISTS operators_role_check`.execute(db);
  await sql`UPDATE operators SET role = 'operator' WHERE role IN ('approver', 'auditor')`.execute(db);
  await sql`ALTER TABLE operators ADD CONSTRAINT operators_role_check CHECK (role IN ('operator', 'admin'))`.execute(
    db,
  );
}
