// Self-service passwords (regulations §5): the holder's name in the directory replica (a password
// must not contain it), each accepted change (its hash went out through the outbox), and the
// failed attempts that brake guessing per address and per client address. Frozen: change by adding
// a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE mailboxes ADD COLUMN display_name text`.execute(db);
  await sql`
    CREATE TABLE password_changes (
      id uuid PRIMARY KEY,
      mailbox_id text NOT NULL,
      address text NOT NULL,
      changed_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX password_changes_mailbox_idx ON password_changes (mailbox_id, changed_at)`.execute(
    db,
  );
  await sql`
    CREATE TABLE password_failures (
      id bigserial PRIMARY KEY,
      scope text NOT NULL CHECK (scope IN ('address', 'client')),
      key text NOT NULL,
      failed_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX password_failures_key_idx ON password_failures (scope, key, failed_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE password_failures`.execute(db);
  await sql`DROP TABLE password_changes`.execute(db);
  await sql`ALTER TABLE mailboxes DROP COLUMN display_name`.execute(db);
}
