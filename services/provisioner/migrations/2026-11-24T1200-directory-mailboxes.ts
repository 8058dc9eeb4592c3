// The directory's mailboxes as published on hopthu.directory.v1 (a replica kept by the provisioner
// for the drift check against vmail). Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE directory_mailboxes (
      mailbox_id text PRIMARY KEY,
      address text NOT NULL,
      domain text NOT NULL,
      state text NOT NULL,
      quota_bytes bigint NOT NULL,
      generation bigint NOT NULL,
      aliases jsonb NOT NULL DEFAULT '[]',
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX directory_mailboxes_domain_idx ON directory_mailboxes (domain)`.execute(db);
  await sql`CREATE INDEX directory_mailboxes_address_idx ON directory_mailboxes (address)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE directory_mailboxes`.execute(db);
}
