// The Kysely code of approvals: items waiting for operators, their transitions, and the
// credential an approval creates.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function lockItem(trx: Transaction<Database>, requestId: string, itemId: string) {
  return trx
    .selectFrom('request_items')
    .selectAll()
    .where('id', '=', itemId)
    .where('request_id', '=', requestId)
    .forUpdate()
    .executeTakeFirst();
}
export type ItemRow = NonNullable<Awaited<ReturnType<typeof lockItem>>>;

export async function findRequest(db: Db, requestId: string) {
  return db.selectFrom('requests').selectAll().where('id', '=', requestId).executeTakeFirst();
}
export type RequestRow = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

export async function updateItemDecision(
  trx: Transaction<Database>,
  itemId: string,
  set: { status: string; approvals?: string[]; reason?: string | null },
): Promise<void> {
  await trx
    .updateTable('request_items')
    .set({ ...set, updated_at: new Date() })
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

export async function upsertCredential(
  trx: Transaction<Database>,
  c: { itemId: string; passwordEnc: string; expiresAt: Date },
): Promise<void> {
  await trx
    .insertInto('credentials')
    .values({ item_id: c.itemId, password_enc: c.passwordEnc, expires_at: c.expiresAt })
    .onConflict((oc) =>
      oc.column('item_id').doUpdateSet({
        password_enc: c.passwordEnc,
        expires_at: c.expiresAt,
        opened_at: null,
        created_at: new Date(),
      }),
    )
    .execute();
}

export async function listPendingItems(
  db: Db,
  filter: { province?: string; agencyId?: string; requestId?: string; limit: number },
) {
  let q = db
    .selectFrom('request_items')
    .innerJoin('requests', 'requests.id', 'request_items.request_id')
    .select([
      'request_items.id as itemId',
      'request_items.request_id as requestId',
      'request_items.seq',
      'request_items.operation',
      'request_items.mailbox_type as mailboxType',
      'request_items.agency_id as itemAgencyId',
      'request_items.person',
      'request_items.address',
      'request_items.changes',
      'request_items.reason',
      'request_items.approvals',
      'request_items.approvals_needed as approvalsNeeded',
      'requests.agency_id as agencyId',
      'requests.client_id as clientId',
      'requests.province',
      'requests.reference',
      'requests.requester',
      'requests.received_at as receivedAt',
      'requests.due_at as dueAt',
    ])
    .where('request_items.status', '=', 'pending_approval')
    .orderBy('requests.due_at')
    .orderBy('request_items.request_id')
    .orderBy('request_items.seq')
    .limit(filter.limit);
  if (filter.province) q = q.where('requests.province', '=', filter.province);
  if (filter.agencyId) q = q.where('requests.agency_id', '=', filter.agencyId);
  if (filter.requestId) q = q.where('requests.id', '=', filter.requestId);
  return q.execute();
}

export async function listItems(db: Db, requestId: string) {
  return db
    .selectFrom('request_items')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('seq')
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

/** The replica's type of each live mailbox named, by lower-case address. */
export async function findMailboxTypes(db: Db, addresses: readonly string[]): Promise<Map<string, string>> {
  if (addresses.length === 0) return new Map();
  const rows = await db
    .selectFrom('mailboxes')
    .select(['address', 'type'])
    .where('address', 'in', [...new Set(addresses)])
    .where('state', '!=', 'deleted')
    .execute();
  return new Map(rows.map((r) => [r.address, r.type]));
}
