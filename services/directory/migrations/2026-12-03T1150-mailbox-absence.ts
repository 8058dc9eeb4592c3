// A known absence (leave, study) an agency gives for a mailbox's holder: Bắc Ninh Điều 4 khoản 2
// điểm c locks a mailbox unused 6 months "mà không có lý do" (without a reason), so a reason holds
// the lock back until its date. Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE mailboxes ADD COLUMN absent_until timestamptz`.execute(db);
  await sql`ALTER TABLE mailboxes ADD COLUMN absence_reason text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE mailboxes DROP COLUMN absence_reason`.execute(db);
  await sql`ALTER TABLE mailboxes DROP COLUMN absent_until`.execute(db);
}
