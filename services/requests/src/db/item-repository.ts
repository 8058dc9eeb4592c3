// The Kysely code of request items and their transitions (who moved an item, from what, and why).
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, StoredPerson } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewItem {
  id: string;
  requestId: string;
  seq: number;
  operation: string;
  mailboxType: string;
  agencyId: string;
  status: string;
  approvalsNeeded: number;
  person: StoredPerson | null;
  nationalIdEnc: string | null;
  nationalIdHash: string | null;
  dateOfBirthEnc: string | null;
  address: string | null;
  changes: unknown;
  reason: string | null;
  exceptionReason: string | null;
}

export async function insertItem(trx: Transaction<Database>, i: NewItem): Promise<void> {
  await insertItems(trx, [i]);
}

/**
 * Many items in one statement: the rows travel as one JSON array that the server takes apart
 * (jsonb_array_elements), as the outbox's rows do. One `text[]` parameter a column (unnest) made
 * pg escape every value into an array literal in JavaScript, element by element; a multi-row
 * VALUES was 8,000 parameters that kysely compiled and PostgreSQL parsed one by one. `person` and
 * `changes` are stored as before: null as the jsonb `null`, undefined (key left out) as SQL NULL.
 */
export async function insertItems(trx: Transaction<Database>, items: readonly NewItem[]): Promise<void> {
  if (items.length === 0) return;
  await sql`
    INSERT INTO request_items (id, request_id, seq, operation, mailbox_type, agency_id, status,
      approvals_needed, person, national_id_enc, national_id_hash, date_of_birth_enc, address, changes,
      reason, exception_reason)
    SELECT (r->>'id')::uuid, (r->>'requestId')::uuid, (r->>'seq')::int, r->>'operation', r->>'mailboxType',
      r->>'agencyId', r->>'status', (r->>'approvalsNeeded')::int, r->'person', r->>'nationalIdEnc',
      r->>'nationalIdHash', r->>'dateOfBirthEnc', r->>'address', r->'changes', r->>'reason',
      r->>'exceptionReason'
    FROM jsonb_array_elements(${JSON.stringify(items)}::jsonb) AS e(r)`.execute(trx);
}

/** A request's items in their order in the request. */
export async function listItems(db: Db, requestId: string) {
  return db
    .selectFrom('request_items')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('seq')
    .execute();
}

/**
 * listItems, each with whether a credential not yet opened waits for it: one statement where the
 * end of a request read the items and then their credentials (a round trip less in the
 * transaction that finishes it, issue 15).
 */
export async function listItemsWithUnopenedCredential(db: Db, requestId: string) {
  return db
    .selectFrom('request_items')
    .selectAll('request_items')
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('credentials')
            .select('credentials.item_id')
            .whereRef('credentials.item_id', '=', 'request_items.id')
            .where('credentials.password_enc', 'is not', null),
        )
        .as('has_unopened_credential'),
    )
    .where('request_id', '=', requestId)
    .orderBy('seq')
    .execute();
}

/** How many items of the request are in each status (read through the (request_id, seq) index). */
export async function countItemsByStatus(db: Db, requestId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('request_items')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('request_id', '=', requestId)
    .groupBy('status')
    .execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

/** The items, locked until the transaction ends, taken in id order (a batch of results). */
export async function lockItemsByIds(trx: Transaction<Database>, itemIds: readonly string[]) {
  if (itemIds.length === 0) return [];
  return trx
    .selectFrom('request_items')
    .selectAll()
    .where('id', 'in', [...itemIds])
    .orderBy('id')
    .forUpdate()
    .execute();
}

export interface ItemResult {
  itemId: string;
  status: string;
  resultAddress: string | null;
  reason: string | null;
}

/** The outcome of provisioning on items (their end status, the address each got, a failure's reason), one statement. */
export async function updateItemResults(
  trx: Transaction<Database>,
  results: readonly ItemResult[],
  at: Date,
): Promise<void> {
  if (results.length === 0) return;
  const col = <T>(f: (r: ItemResult) => T) => results.map(f);
  await sql`
    UPDATE request_items AS i
    SET status = r.status, result_address = r.result_address, reason = r.reason, updated_at = ${at.toISOString()}::timestamptz
    FROM unnest(${col((r) => r.itemId)}::uuid[], ${col((r) => r.status)}::text[],
      ${col((r) => r.resultAddress)}::text[], ${col((r) => r.reason)}::text[])
      AS r(id, status, result_address, reason)
    WHERE i.id = r.id`.execute(trx);
}

export interface NewTransition {
  itemId: string;
  from: string | null;
  to: string;
  actor: string;
  reason: string | null;
  /** When it happened: the use case's clock (the history shows it). */
  at: Date;
}

export async function insertTransition(trx: Transaction<Database>, t: NewTransition): Promise<void> {
  await insertTransitions(trx, [t]);
}

/** Many transitions in one statement (a JSON array, as insertItems), in the given order: their ids follow it. */
export async function insertTransitions(
  trx: Transaction<Database>,
  transitions: readonly NewTransition[],
): Promise<void> {
  if (transitions.length === 0) return;
  await sql`
    INSERT INTO item_transitions (item_id, from_status, to_status, actor, reason, at)
    SELECT (r.v->>'itemId')::uuid, r.v->>'from', r.v->>'to', r.v->>'actor', r.v->>'reason',
      (r.v->>'at')::timestamptz
    FROM jsonb_array_elements(${JSON.stringify(transitions)}::jsonb) WITH ORDINALITY AS r(v, n)
    ORDER BY r.n`.execute(trx);
}

export async function listTransitions(db: Db, itemIds: string[]) {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom('item_transitions')
    .selectAll()
    .where('item_id', 'in', itemIds)
    .orderBy('id')
    .execute();
}
