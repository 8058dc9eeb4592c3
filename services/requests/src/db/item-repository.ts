// The Kysely code of request items and their transitions (who moved an item, from what, and why).
import type { Kysely, Transaction } from 'kysely';
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

/** Many items in one statement per 1,000 (a bulk request's 500 items are one round trip). */
export async function insertItems(trx: Transaction<Database>, items: readonly NewItem[]): Promise<void> {
  for (let start = 0; start < items.length; start += 1000) {
    await trx
      .insertInto('request_items')
      .values(
        items.slice(start, start + 1000).map((i) => ({
          id: i.id,
          request_id: i.requestId,
          seq: i.seq,
          operation: i.operation,
          mailbox_type: i.mailboxType,
          agency_id: i.agencyId,
          status: i.status,
          approvals_needed: i.approvalsNeeded,
          person: JSON.stringify(i.person),
          national_id_enc: i.nationalIdEnc,
          national_id_hash: i.nationalIdHash,
          date_of_birth_enc: i.dateOfBirthEnc,
          address: i.address,
          changes: JSON.stringify(i.changes),
          reason: i.reason,
          exception_reason: i.exceptionReason,
        })),
      )
      .execute();
  }
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

/** The item, locked until the transaction ends (a result arriving for it). */
export async function lockItemById(trx: Transaction<Database>, itemId: string) {
  return trx.selectFrom('request_items').selectAll().where('id', '=', itemId).forUpdate().executeTakeFirst();
}

/** The outcome of provisioning on an item: its end status, the address it got, the failure reason. */
export async function updateItemResult(
  trx: Transaction<Database>,
  itemId: string,
  set: { status: string; resultAddress: string | null; reason: string | null; at: Date },
): Promise<void> {
  await trx
    .updateTable('request_items')
    .set({
      status: set.status,
      result_address: set.resultAddress,
      reason: set.reason,
      updated_at: set.at,
    })
    .where('id', '=', itemId)
    .execute();
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

/** Many transitions, in the given order (their ids follow it), one statement per 1,000. */
export async function insertTransitions(
  trx: Transaction<Database>,
  transitions: readonly NewTransition[],
): Promise<void> {
  for (let start = 0; start < transitions.length; start += 1000) {
    await trx
      .insertInto('item_transitions')
      .values(
        transitions.slice(start, start + 1000).map((t) => ({
          item_id: t.itemId,
          from_status: t.from,
          to_status: t.to,
          actor: t.actor,
          reason: t.reason,
          at: t.at,
        })),
      )
      .execute();
  }
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
