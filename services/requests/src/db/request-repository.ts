// The Kysely code of requests: the idempotent submission, the agency's list, and the lock and
// status update that settle a request when its items change.
import { type Kysely, sql, type Transaction } from 'kysely';
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

/** The request row locked until the transaction ends, nothing read from it (its answer is large). */
export async function lockRequestRow(trx: Transaction<Database>, requestId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('requests')
    .select('id')
    .where('id', '=', requestId)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
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

/** A bulk request's items to write later (expand-request.ts): its sealed copy, stored with the request. */
export async function insertPendingExpansion(
  trx: Transaction<Database>,
  p: { requestId: string; payloadEnc: string; personHashes: readonly string[] },
): Promise<void> {
  await trx
    .insertInto('request_expansions')
    .values({ request_id: p.requestId, payload_enc: p.payloadEnc, person_hashes: [...p.personHashes] })
    .execute();
}

/**
 * The sealed copy of a request whose items are not written yet, locked until the transaction
 * ends; undefined when there is none (written already, or never deferred). `skipLocked`: undefined
 * too while another transaction holds it (the worker leaves it to that one); without it, waits for
 * that one to end, and then finds it gone.
 */
export async function lockPendingExpansion(
  trx: Transaction<Database>,
  requestId: string,
  options: { skipLocked: boolean },
): Promise<string | undefined> {
  const q = trx
    .selectFrom('request_expansions')
    .select('payload_enc')
    .where('request_id', '=', requestId)
    .forUpdate();
  const row = await (options.skipLocked ? q.skipLocked() : q).executeTakeFirst();
  return row?.payload_enc;
}

export async function deletePendingExpansion(trx: Transaction<Database>, requestId: string): Promise<void> {
  await trx.deleteFrom('request_expansions').where('request_id', '=', requestId).execute();
}

/** Whether the request's items are still to be written (one primary-key look-up). */
export async function isExpansionPending(db: Db, requestId: string): Promise<boolean> {
  const row = await db
    .selectFrom('request_expansions')
    .select('request_id')
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Requests whose items are still to be written, oldest first (the sweep's work); with
 * `olderThanMs`, only those stored at least that long ago (by the database's clock).
 */
export async function listPendingExpansions(db: Db, limit: number, olderThanMs = 0): Promise<string[]> {
  const rows = await db
    .selectFrom('request_expansions')
    .select('request_id')
    .$if(olderThanMs > 0, (q) =>
      q.where('created_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`),
    )
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.request_id);
}

/** Requests not yet expanded that create a mailbox for one of these people (keyed national-ID hashes). */
export async function findPendingExpansionsForPersons(
  db: Db,
  personHashes: readonly string[],
): Promise<string[]> {
  if (personHashes.length === 0) return [];
  const rows = await db
    .selectFrom('request_expansions')
    .select('request_id')
    .where(sql<boolean>`person_hashes && ${sql.val([...personHashes])}::text[]`)
    .execute();
  return rows.map((r) => r.request_id);
}
