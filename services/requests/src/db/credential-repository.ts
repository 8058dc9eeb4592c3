// The Kysely code of one-time credentials: the password sealed for the agency's single fetch,
// the row lock that lets only one of several concurrent opens win, and its erasure.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewCredential {
  itemId: string;
  passwordEnc: string;
  expiresAt: Date;
  createdAt: Date;
}

export async function insertCredential(trx: Transaction<Database>, c: NewCredential): Promise<void> {
  await insertCredentials(trx, [c]);
}

/** Many credentials in one statement (a JSON array, as the items). */
export async function insertCredentials(
  trx: Transaction<Database>,
  credentials: readonly NewCredential[],
): Promise<void> {
  if (credentials.length === 0) return;
  await sql`
    INSERT INTO credentials (item_id, password_enc, expires_at, created_at)
    SELECT (r->>'itemId')::uuid, r->>'passwordEnc', (r->>'expiresAt')::timestamptz, (r->>'createdAt')::timestamptz
    FROM jsonb_array_elements(${JSON.stringify(credentials)}::jsonb) AS e(r)`.execute(trx);
}

/** A fresh credential for the item, replacing an earlier one (a new approval sets a new password). */
export async function upsertCredential(trx: Transaction<Database>, c: NewCredential): Promise<void> {
  await trx
    .insertInto('credentials')
    .values({
      item_id: c.itemId,
      password_enc: c.passwordEnc,
      expires_at: c.expiresAt,
      created_at: c.createdAt,
    })
    .onConflict((oc) =>
      oc.column('item_id').doUpdateSet({
        password_enc: c.passwordEnc,
        expires_at: c.expiresAt,
        opened_at: null,
        created_at: c.createdAt,
      }),
    )
    .execute();
}

/**
 * Which of these items have a credential (opened or not); with `unopenedOnly`, only those whose
 * password still waits to be fetched.
 */
export async function findItemsWithCredential(
  db: Db,
  itemIds: readonly string[],
  options: { unopenedOnly?: boolean } = {},
): Promise<Set<string>> {
  if (itemIds.length === 0) return new Set();
  let q = db
    .selectFrom('credentials')
    .select('item_id')
    .where('item_id', 'in', [...itemIds]);
  if (options.unopenedOnly) q = q.where('password_enc', 'is not', null);
  return new Set((await q.execute()).map((c) => c.item_id));
}

/**
 * The credential of an item of a request, with the item's state and owner, locked until the
 * transaction ends: a concurrent open waits here and then sees the password gone.
 */
export async function lockCredential(trx: Transaction<Database>, requestId: string, itemId: string) {
  return trx
    .selectFrom('credentials')
    .innerJoin('request_items', 'request_items.id', 'credentials.item_id')
    .innerJoin('requests', 'requests.id', 'request_items.request_id')
    .select([
      'credentials.item_id',
      'credentials.password_enc',
      'credentials.expires_at',
      'request_items.status',
      'request_items.result_address',
      'requests.client_agency_id',
      'requests.client_id',
    ])
    .where('credentials.item_id', '=', itemId)
    .where('requests.id', '=', requestId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Every credential of the request that can still be opened (its item completed, the password not
 * yet handed out, not expired), locked until the transaction ends; in item order.
 */
export async function lockOpenableCredentials(
  trx: Transaction<Database>,
  requestId: string,
  now: Date,
): Promise<{ item_id: string; password_enc: string; result_address: string | null }[]> {
  const { rows } = await sql<{ item_id: string; password_enc: string; result_address: string | null }>`
    SELECT c.item_id, c.password_enc, i.result_address
      FROM credentials c JOIN request_items i ON i.id = c.item_id
     WHERE i.request_id = ${requestId} AND i.status = 'completed'
       AND c.password_enc IS NOT NULL AND c.expires_at > ${now}
     ORDER BY i.seq
       FOR UPDATE OF c`.execute(trx);
  return rows;
}

/** The passwords of these items are erased as they are handed out, all at once. */
export async function markCredentialsOpened(
  trx: Transaction<Database>,
  itemIds: readonly string[],
  openedAt: Date,
): Promise<void> {
  if (itemIds.length === 0) return;
  await trx
    .updateTable('credentials')
    .set({ password_enc: null, opened_at: openedAt })
    .where('item_id', 'in', itemIds)
    .execute();
}

/** The password is erased as it is handed out; only the time of the opening stays. */
export async function markCredentialOpened(
  trx: Transaction<Database>,
  itemId: string,
  openedAt: Date,
): Promise<void> {
  await trx
    .updateTable('credentials')
    .set({ password_enc: null, opened_at: openedAt })
    .where('item_id', '=', itemId)
    .execute();
}

/** A failed item's password is never fetched: erase it. */
export async function erasePassword(trx: Transaction<Database>, itemId: string): Promise<void> {
  await erasePasswords(trx, [itemId]);
}

/** The passwords of these items erased (their provisioning failed), one statement. */
export async function erasePasswords(trx: Transaction<Database>, itemIds: readonly string[]): Promise<void> {
  if (itemIds.length === 0) return;
  await trx
    .updateTable('credentials')
    .set({ password_enc: null })
    .where('item_id', 'in', [...itemIds])
    .execute();
}
