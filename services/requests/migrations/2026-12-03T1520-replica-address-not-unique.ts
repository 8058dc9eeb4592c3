// The replica's mailboxes no longer have one row per address. It is a copy and the directory is the
// authority on who holds an address: a new mailbox may take the address of a deleted one (after its
// retention), and states of two mailboxes arrive out of order across the topic's partitions (A renamed
// away from x seen after B created at x). With UNIQUE (address) such a state failed the directory
// consumer and stalled the replica. Lookups by address choose (replica-repository.ts
// `preferredAtAddress`): the live mailbox first, else the newest deleted. Frozen.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE mailboxes DROP CONSTRAINT mailboxes_address_key`.execute(db);
  await sql`CREATE INDEX mailboxes_address_idx ON mailboxes (address)`.execute(db);
}

/** Fails while two rows share an address (as the replica may now hold): remove the stale ones first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX mailboxes_address_idx`.execute(db);
  await sql`ALTER TABLE mailboxes ADD CONSTRAINT mailboxes_address_key UNIQUE (address)`.execute(db);
}
