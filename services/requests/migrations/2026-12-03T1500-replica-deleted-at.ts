// When the replica learned that a mailbox was deleted: a `restore_deleted` item is refused from its
// province's purge day on (retention.deletedMailDays), as the provisioner then removes its mail.
// Null for mailboxes deleted before this column (the directory still judges those). Frozen.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE mailboxes ADD COLUMN deleted_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE mailboxes DROP COLUMN deleted_at`.execute(db);
}
