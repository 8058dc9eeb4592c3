// The last login reported per mailbox (hopthu.provisioning.activity.v1), so a report goes out only
// when the mail server's last login changed; and an index to find a mailbox id by address in the
// applied-command log. Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE activity_reports (
      mailbox_id text PRIMARY KEY,
      address text NOT NULL,
      last_login_at timestamptz NOT NULL,
      reported_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX applied_commands_address_idx ON applied_commands (address, applied_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX applied_commands_address_idx`.execute(db);
  await sql`DROP TABLE activity_reports`.execute(db);
}
