// The Kysely code of requests: the idempotent submission, the agency's list, and the lock and
// status update that settle a request when its items change.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** What an earlier submission with this client's Idempotency-Key stored: its body hash and answer. */
export async function findSubmission(db: Db, clientId: string, idempotencyKey: string) {
  return db
    .selectFrom('requests')
    .select(['body_hash', 'response'])
    .where('client_id', '=', clientId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
}

export async function insertRequest(
  trx: Transaction<Database>,
  r: {
    id: string;
    clientId: string;
    clientAgencyId: string;
    agencyId: string;
    province: string;
    status: string;
    receivedAt: Date;
    dueAt: Date;
    dueConfirmed: boolean;
    reference: unknown;
    requester: unknown;
    idempotencyKey: string;
    bodyHash: string;
    response: unknown;
  },
): Promise<void> {
  await trx
    .insertInto('requests')
    .values({
      id: r.id,
      client_id: r.clientId,
      client_agency_id: r.clientAgencyId,
      agency_id: r.agencyId,
      province: r.province,
      status: r.status,
      received_at: r.receivedAt,
      due_at: r.dueAt,
      due_confirmed: r.dueConfirmed,
      reference: JSON.stringify(r.reference),
      requester: JSON.stringify(r.requester),
      idempotency_key: r.idempotencyKey,
      body_hash: r.bodyHash,
      response: JSON.stringify(r.response),
    })
    .execute();
}

export async function findRequest(db: Db, requestId: string) {
  return db.selectFrom('requests').selectAll().where('id', '=', requestId).executeTakeFirst();
}
export type RequestRow = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

/** Only whose the request is and its status: what a long-poll reads while it waits. */
export async function findRequestStatus(db: Db, requestId: string) {
  return db
    .selectFrom('requests')
    .select(['status', 'client_agency_id'])
    .where('id', '=', requestId)
    .executeTakeFirst();
}

/** The request, locked until the transaction ends; it must exist. */
export async function lockRequest(trx: Transaction<Database>, requestId: string): Promise<RequestRow> {
  return trx
    .selectFrom('requests')
    .selectAll()
    .where('id', '=', requestId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function updateRequestStatus(
  trx: Transaction<Database>,
  requestId: string,
  set: { status: string; finishedAt: Date | null; at: Date },
): Promise<void> {
  await trx
    .updateTable('requests')
    .set({ status: set.status, updated_at: set.at, finished_at: set.finishedAt })
    .where('id', '=', requestId)
    .execute();
}

/** An agency's own requests, newest first (the first 200), optionally in one status. */
export async function listRequestsOfAgency(db: Db, clientAgencyId: string, status?: string) {
  let q = db
    .selectFrom('requests')
    .select(['id', 'status', 'due_at', 'received_at'])
    .where('client_agency_id', '=', clientAgencyId)
    .orderBy('received_at', 'desc')
    .limit(200);
  if (status) q = q.where('status', '=', status);
  return q.execute();
}
