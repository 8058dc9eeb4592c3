// The self-service password change's reads and writes: the mailbox as the directory replica knows it
// (with its province and holder), accepted changes, and failed attempts for the 429 brake.
import type { Kysely, Transaction } from 'kysely';
import { preferredAtAddress } from './replica-repository.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface SelfServiceMailbox {
  mailboxId: string;
  address: string;
  type: string;
  state: string;
  displayName: string | null;
  province: string;
}

export async function findSelfServiceMailbox(db: Db, address: string): Promise<SelfServiceMailbox | null> {
  const row = await db
    .selectFrom('mailboxes')
    .innerJoin('agencies', 'agencies.agency_id', 'mailboxes.agency_id')
    .select([
      'mailboxes.mailbox_id',
      'mailboxes.address',
      'mailboxes.type',
      'mailboxes.state',
      'mailboxes.display_name',
      'agencies.province',
    ])
    .where('mailboxes.address', '=', address)
    .where('mailboxes.state', '!=', 'deleted')
    // two live rows only while a late state is on its way; the directory refuses a change whose
    // address is no longer the mailbox's (record-password-change)
    .orderBy(preferredAtAddress())
    .limit(1)
    .executeTakeFirst();
  return row
    ? {
        mailboxId: row.mailbox_id,
        address: row.address,
        type: row.type,
        state: row.state,
        displayName: row.display_name,
        province: row.province,
      }
    : null;
}

/** Failed attempts for `key` since `since`: how many, and the oldest (when the brake lifts). */
export async function countRecentFailures(
  db: Db,
  scope: 'address' | 'client',
  key: string,
  since: Date,
): Promise<{ count: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('password_failures')
    .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.min('failed_at').as('oldest')])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .where('failed_at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), oldest: row.oldest ? new Date(row.oldest) : null };
}

export async function insertFailures(
  db: Db,
  failures: { scope: 'address' | 'client'; key: string }[],
  at: Date,
): Promise<void> {
  if (failures.length === 0) return;
  await db
    .insertInto('password_failures')
    .values(failures.map((f) => ({ scope: f.scope, key: f.key, failed_at: at })))
    .execute();
}

/** Forgets failures older than `before` (they no longer count). */
export async function deleteFailuresBefore(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('password_failures').where('failed_at', '<', before).execute();
}

export async function insertPasswordChange(
  db: Db,
  change: { id: string; mailboxId: string; address: string; changedAt: Date },
): Promise<void> {
  await db
    .insertInto('password_changes')
    .values({
      id: change.id,
      mailbox_id: change.mailboxId,
      address: change.address,
      changed_at: change.changedAt,
    })
    .execute();
}
