// The Kysely code of approvals: items waiting for operators and the operators' decisions on them
// (requests, transitions and credentials have their own repositories).
import { agencyIdsNamed, containsPattern } from '@hopthu/shared/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import { findLiveMailboxesByAddress } from './replica-repository.ts';
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

export async function updateItemDecision(
  trx: Transaction<Database>,
  itemId: string,
  set: { status: string; approvals?: string[]; reason?: string | null; at: Date },
): Promise<void> {
  const { at, ...columns } = set;
  await trx
    .updateTable('request_items')
    .set({ ...columns, updated_at: at })
    .where('id', '=', itemId)
    .execute();
}

export interface PendingFilter {
  province?: string;
  /** The acting agency or the item's unit: its id, or its abbreviation as operators know it. */
  agency?: string;
  requestId?: string;
  /** Part of the letter's number (số/ký hiệu), case-insensitive. */
  reference?: string;
}

function pendingQuery(db: Db, filter: PendingFilter) {
  let q = db
    .selectFrom('request_items')
    .innerJoin('requests', 'requests.id', 'request_items.request_id')
    .where('request_items.status', '=', 'pending_approval');
  if (filter.province) q = q.where('requests.province', '=', filter.province);
  if (filter.requestId) q = q.where('requests.id', '=', filter.requestId);
  if (filter.reference) {
    q = q.where(sql<string>`requests.reference->>'number'`, 'ilike', containsPattern(filter.reference));
  }
  if (filter.agency) {
    const ids = agencyIdsNamed(db, filter.agency);
    q = q.where((eb) =>
      eb.or([eb('requests.agency_id', 'in', ids), eb('request_items.agency_id', 'in', ids)]),
    );
  }
  return q;
}

/** One page of the items waiting for operators, earliest deadline first, and how many there are in all. */
export async function listPendingItems(db: Db, filter: PendingFilter & { limit: number; offset?: number }) {
  const [rows, count] = await Promise.all([
    pendingQuery(db, filter)
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
      .orderBy('requests.due_at')
      .orderBy('request_items.request_id')
      .orderBy('request_items.seq')
      .limit(filter.limit)
      .offset(filter.offset ?? 0)
      .execute(),
    pendingQuery(db, filter)
      .select((eb) => eb.fn.countAll<string>().as('total'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** The replica's type of each live mailbox named, by lower-case address. */
export async function findMailboxTypes(db: Db, addresses: readonly string[]): Promise<Map<string, string>> {
  const mailboxes = await findLiveMailboxesByAddress(db, addresses);
  return new Map([...mailboxes].map(([address, m]) => [address, m.type]));
}
