// Inactivity (regulations §6): each mailbox's last use as the mail server reported it, when it was
// last reopened (a restore restarts the clock), and the reclaims proposed to operators in provinces
// whose rule is to reclaim (one open proposal per mailbox). Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE mailboxes ADD COLUMN last_activity_at timestamptz`.execute(db);
  await sql`ALTER TABLE mailboxes ADD COLUMN reopened_at timestamptz`.execute(db);
  await sql`
    CREATE INDEX mailboxes_inactivity_idx ON mailboxes (province, (GREATEST(COALESCE(last_activity_at, created_at), reopened_at)))
     WHERE state = 'active' AND type = 'personal'`.execute(db);
  await sql`
    CREATE TABLE reclaim_proposals (
      id uuid PRIMARY KEY,
      mailbox_id uuid NOT NULL REFERENCES mailboxes(id),
      address text NOT NULL,
      province text NOT NULL,
      article text NOT NULL,
      months integer NOT NULL,
      inactive_since timestamptz NOT NULL,
      last_activity_at timestamptz,
      due_at timestamptz NOT NULL,
      state text NOT NULL CHECK (state IN ('proposed', 'approved', 'dismissed', 'withdrawn')),
      proposed_at timestamptz NOT NULL,
      decided_at timestamptz,
      decided_by text,
      reason text
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX reclaim_proposals_open_key ON reclaim_proposals (mailbox_id) WHERE state = 'proposed'`.execute(
    db,
  );
  await sql`CREATE INDEX reclaim_proposals_mailbox_idx ON reclaim_proposals (mailbox_id, inactive_since)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE reclaim_proposals`.execute(db);
  await sql`DROP INDEX mailboxes_inactivity_idx`.execute(db);
  await sql`ALTER TABLE mailboxes DROP COLUMN reopened_at`.execute(db);
  await sql`ALTER TABLE mailboxes DROP COLUMN last_activity_at`.execute(db);
}
