// Deliveries (result mail, its copy, webhook, operator warnings) and every attempt to send them.
import { wakePollingLoops } from '@hopthu/shared/polling';
import { type Kysely, sql } from 'kysely';
import type { DeliveryKind, DeliveryStatus, NotifierDb } from './schema.ts';

export interface NewDelivery {
  id: string;
  kind: DeliveryKind;
  purpose: string;
  requestId: string | null;
  agencyId: string | null;
  target: string | null;
  payload: Record<string, unknown>;
  body?: string | null;
  messageId?: string | null;
  webhookId?: string | null;
  /** `failed` when it can never be sent (no address known): recorded so an operator sees it. */
  status?: DeliveryStatus;
  lastError?: string | null;
  now: Date;
}

/** The name the delivery worker is woken by (wakePollingLoops) when a delivery is written. */
export const DELIVERIES_WRITTEN = 'notifier-deliveries';

/** One delivery per (request, purpose): a redelivered event creates nothing new. */
export async function insertDelivery(db: Kysely<NotifierDb>, d: NewDelivery): Promise<boolean> {
  const r = await db
    .insertInto('deliveries')
    .values({
      id: d.id,
      kind: d.kind,
      purpose: d.purpose,
      request_id: d.requestId,
      agency_id: d.agencyId,
      target: d.target,
      payload: JSON.stringify(d.payload),
      body: d.body ?? null,
      message_id: d.messageId ?? null,
      webhook_id: d.webhookId ?? null,
      status: d.status ?? 'pending',
      next_attempt_at: d.now,
      last_error: d.lastError ?? null,
      created_at: d.now,
    })
    .onConflict((oc) => oc.columns(['request_id', 'purpose']).doNothing())
    .executeTakeFirst();
  const inserted = Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  if (inserted) wakePollingLoops(DELIVERIES_WRITTEN); // the worker looks until this commits
  return inserted;
}

export interface ClaimedDelivery {
  id: string;
  kind: DeliveryKind;
  purpose: string;
  requestId: string | null;
  agencyId: string | null;
  target: string | null;
  payload: Record<string, unknown>;
  body: string | null;
  messageId: string | null;
  webhookId: string | null;
  /** The number of this attempt (1 = first). */
  attempt: number;
}

/**
 * Claims due pending deliveries by pushing their next_attempt_at out by a lease, so no other
 * worker takes them while this one sends (a worker that dies mid-send leaves them to be retried
 * when the lease runs out). The send itself happens outside any transaction.
 */
export async function claimDueDeliveries(
  db: Kysely<NotifierDb>,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<ClaimedDelivery[]> {
  const { rows } = await sql<{
    id: string;
    kind: DeliveryKind;
    purpose: string;
    request_id: string | null;
    agency_id: string | null;
    target: string | null;
    payload: Record<string, unknown>;
    body: string | null;
    message_id: string | null;
    webhook_id: string | null;
    attempts: number;
  }>`
    UPDATE deliveries SET next_attempt_at = ${leaseUntil}, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM deliveries
      WHERE status = 'pending' AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, kind, purpose, request_id, agency_id, target, payload, body, message_id, webhook_id, attempts`.execute(
    db,
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    purpose: r.purpose,
    requestId: r.request_id,
    agencyId: r.agency_id,
    target: r.target,
    payload: r.payload,
    body: r.body,
    messageId: r.message_id,
    webhookId: r.webhook_id,
    attempt: r.attempts,
  }));
}

export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  startedAt: Date;
  finishedAt: Date;
  outcome: 'delivered' | 'retry' | 'failed';
  statusCode: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
}

/** Records one attempt and moves the delivery on, in one transaction. */
export async function recordAttempt(db: Kysely<NotifierDb>, a: AttemptRecord): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('delivery_attempts')
      .values({
        delivery_id: a.deliveryId,
        attempt: a.attempt,
        started_at: a.startedAt,
        finished_at: a.finishedAt,
        outcome: a.outcome,
        status_code: a.statusCode,
        error: a.error,
      })
      .onConflict((oc) => oc.columns(['delivery_id', 'attempt']).doNothing())
      .execute();
    const status: DeliveryStatus =
      a.outcome === 'delivered' ? 'delivered' : a.outcome === 'failed' ? 'failed' : 'pending';
    await trx
      .updateTable('deliveries')
      .set({
        status,
        last_error: a.error,
        delivered_at: a.outcome === 'delivered' ? a.finishedAt : null,
        next_attempt_at: a.nextAttemptAt ?? a.finishedAt,
      })
      .where('id', '=', a.deliveryId)
      .where('status', '=', 'pending')
      .where('attempts', '=', a.attempt)
      .execute();
  });
}

export interface DeliveryView {
  id: string;
  kind: DeliveryKind;
  purpose: string;
  requestId: string | null;
  agencyId: string | null;
  target: string | null;
  messageId: string | null;
  webhookId: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  payload: Record<string, unknown>;
  attemptLog: {
    attempt: number;
    startedAt: string;
    finishedAt: string;
    outcome: string;
    statusCode: number | null;
    error: string | null;
  }[];
}

export async function listDeliveries(
  db: Kysely<NotifierDb>,
  filter: { requestId?: string; status?: DeliveryStatus; limit: number },
): Promise<DeliveryView[]> {
  let q = db.selectFrom('deliveries').selectAll().orderBy('created_at', 'desc').limit(filter.limit);
  if (filter.requestId) q = q.where('request_id', '=', filter.requestId);
  if (filter.status) q = q.where('status', '=', filter.status);
  const rows = await q.execute();
  const ids = rows.map((r) => r.id);
  const attempts =
    ids.length === 0
      ? []
      : await db
          .selectFrom('delivery_attempts')
          .selectAll()
          .where('delivery_id', 'in', ids)
          .orderBy('delivery_id')
          .orderBy('attempt')
          .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    purpose: r.purpose,
    requestId: r.request_id,
    agencyId: r.agency_id,
    target: r.target,
    messageId: r.message_id,
    webhookId: r.webhook_id,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at.toISOString(),
    lastError: r.last_error,
    createdAt: r.created_at.toISOString(),
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    payload: r.payload,
    attemptLog: attempts
      .filter((a) => a.delivery_id === r.id)
      .map((a) => ({
        attempt: a.attempt,
        startedAt: a.started_at.toISOString(),
        finishedAt: a.finished_at.toISOString(),
        outcome: a.outcome,
        statusCode: a.status_code,
        error: a.error,
      })),
  }));
}
