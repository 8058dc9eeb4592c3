// The Kysely code of request items and their transitions (who moved an item, from what, and why).
import type { Kysely, Transaction } from 'kysely';
import type { Database, StoredPerson } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertItem(
  trx: Transaction<Database>,
  i: {
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
  },
): Promise<void> {
  await trx
    .insertInto('request_items')
    .values({
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
    })
    .execute();
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

/** The item, locked until the transaction ends (a result arriving for it). */
export async function lockItemById(trx: Transaction<Database>, itemId: string) {
  return trx.selectFrom('request_items').selectAll().where('id', '=', itemId).forUpdate().executeTakeFirst();
}

/** The outcome of provisioning on an item: its end status, the address it got, the failure reason. */
export async function updateItemResult(
  trx: Transaction<Database>,
  itemId: string,
  set: { status: string; resultAddress: string | null; reason: string | null },
): Promise<void> {
  await trx
    .updateTable('request_items')
    .set({
      status: set.status,
      result_address: set.resultAddress,
      reason: set.reason,
      updated_at: new Date(),
    })
    .where('id', '=', itemId)
    .execute();
}

export async function insertTransition(
  trx: Transaction<Database>,
  t: { itemId: string; from: string | null; to: string; actor: string; reason: string | null },
): Promise<void> {
  await trx
    .insertInto('item_transitions')
    .values({ item_id: t.itemId, from_status: t.from, to_status: t.to, actor: t.actor, reason: t.reason })
    .execute();
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
