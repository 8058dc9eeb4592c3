// Deadlines, their durable timers, and the warnings fired from them.
import { agencyIdsNamed, containsPattern } from '@hopthu/shared/db';
import { type Kysely, sql } from 'kysely';
import type { NotifierDb, Reference, TimerKind } from './schema.ts';

export interface NewDeadline {
  requestId: string;
  agencyId: string;
  province: string;
  reference: Reference;
  itemCount: number;
  receivedAt: Date;
  dueAt: Date;
  dueConfirmed?: boolean | undefined;
}

/** Inserts the deadline and its timers; a second submission of the same request changes nothing. */
export async function insertDeadline(
  db: Kysely<NotifierDb>,
  d: NewDeadline,
  timers: { kind: TimerKind; fireAt: Date }[],
): Promise<boolean> {
  const inserted = await db
    .insertInto('deadlines')
    .values({
      request_id: d.requestId,
      agency_id: d.agencyId,
      province: d.province,
      reference: JSON.stringify(d.reference),
      item_count: d.itemCount,
      received_at: d.receivedAt,
      due_at: d.dueAt,
      due_confirmed: d.dueConfirmed ?? null,
    })
    .onConflict((oc) => oc.column('request_id').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  if (timers.length > 0) {
    await db
      .insertInto('deadline_timers')
      .values(timers.map((t) => ({ request_id: d.requestId, kind: t.kind, fire_at: t.fireAt })))
      .onConflict((oc) => oc.columns(['request_id', 'kind']).doNothing())
      .execute();
  }
  return true;
}

/** Closes the deadline (the request finished) and cancels its timers that have not fired. */
export async function closeDeadline(
  db: Kysely<NotifierDb>,
  requestId: string,
  finalStatus: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('deadlines')
    .set({ closed_at: now, final_status: finalStatus })
    .where('request_id', '=', requestId)
    .where('closed_at', 'is', null)
    .execute();
  await db
    .updateTable('deadline_timers')
    .set({ cancelled_at: now })
    .where('request_id', '=', requestId)
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .execute();
}

export interface DueTimer {
  requestId: string;
  kind: TimerKind;
  fireAt: Date;
  agencyId: string;
  reference: Reference;
  receivedAt: Date;
  dueAt: Date;
}

/** Locks up to `limit` due timers of open deadlines; other sweepers skip them (SKIP LOCKED). */
export async function claimDueTimers(db: Kysely<NotifierDb>, now: Date, limit: number): Promise<DueTimer[]> {
  const { rows } = await sql<{
    request_id: string;
    kind: TimerKind;
    fire_at: Date;
    agency_id: string;
    reference: Reference;
    received_at: Date;
    due_at: Date;
  }>`
    SELECT t.request_id, t.kind, t.fire_at, d.agency_id, d.reference, d.received_at, d.due_at
    FROM deadline_timers t JOIN deadlines d ON d.request_id = t.request_id
    WHERE t.fired_at IS NULL AND t.cancelled_at IS NULL AND d.closed_at IS NULL AND t.fire_at <= ${now}
    ORDER BY t.fire_at
    LIMIT ${limit}
    FOR UPDATE OF t SKIP LOCKED`.execute(db);
  return rows.map((r) => ({
    requestId: r.request_id,
    kind: r.kind,
    fireAt: r.fire_at,
    agencyId: r.agency_id,
    reference: r.reference,
    receivedAt: r.received_at,
    dueAt: r.due_at,
  }));
}

export async function markTimerFired(
  db: Kysely<NotifierDb>,
  requestId: string,
  kind: TimerKind,
  now: Date,
): Promise<void> {
  await db
    .updateTable('deadline_timers')
    .set({ fired_at: now })
    .where('request_id', '=', requestId)
    .where('kind', '=', kind)
    .execute();
}

export async function insertWarning(
  db: Kysely<NotifierDb>,
  w: { id: string; timer: DueTimer; firedAt: Date },
): Promise<boolean> {
  const r = await db
    .insertInto('warnings')
    .values({
      id: w.id,
      request_id: w.timer.requestId,
      kind: w.timer.kind,
      agency_id: w.timer.agencyId,
      reference: JSON.stringify(w.timer.reference),
      received_at: w.timer.receivedAt,
      due_at: w.timer.dueAt,
      fire_at: w.timer.fireAt,
      fired_at: w.firedAt,
    })
    .onConflict((oc) => oc.columns(['request_id', 'kind']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export interface WarningView {
  id: string;
  requestId: string;
  kind: TimerKind;
  agencyId: string;
  reference: Reference;
  receivedAt: string;
  dueAt: string;
  fireAt: string;
  firedAt: string;
}

export async function listWarnings(
  db: Kysely<NotifierDb>,
  filter: { requestId?: string; limit: number },
): Promise<WarningView[]> {
  let q = db.selectFrom('warnings').selectAll().orderBy('fired_at', 'desc').limit(filter.limit);
  if (filter.requestId) q = q.where('request_id', '=', filter.requestId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    requestId: r.request_id,
    kind: r.kind,
    agencyId: r.agency_id,
    reference: r.reference,
    receivedAt: r.received_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    fireAt: r.fire_at.toISOString(),
    firedAt: r.fired_at.toISOString(),
  }));
}

export async function findDeadline(db: Kysely<NotifierDb>, requestId: string) {
  const d = await db
    .selectFrom('deadlines')
    .selectAll()
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  if (!d) return null;
  const timers = await db
    .selectFrom('deadline_timers')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('fire_at')
    .execute();
  return {
    requestId: d.request_id,
    agencyId: d.agency_id,
    reference: d.reference,
    receivedAt: d.received_at.toISOString(),
    dueAt: d.due_at.toISOString(),
    closedAt: d.closed_at?.toISOString() ?? null,
    finalStatus: d.final_status,
    confirmed: d.due_confirmed,
    timers: timers.map((t) => ({
      kind: t.kind,
      fireAt: t.fire_at.toISOString(),
      firedAt: t.fired_at?.toISOString() ?? null,
      cancelledAt: t.cancelled_at?.toISOString() ?? null,
    })),
  };
}

export interface OpenDeadlineView {
  requestId: string;
  agencyId: string;
  province: string;
  reference: Reference;
  itemCount: number;
  receivedAt: string;
  dueAt: string;
  /** Whether dueAt rests on a confirmed holiday calendar; null when the event did not say. */
  confirmed: boolean | null;
  /** Warnings fired so far, in the order they fired. */
  warnings: { kind: TimerKind; firedAt: string }[];
}

/** Deadlines of requests not finished yet, earliest due first, with the warnings fired so far. */
export interface OpenDeadlineFilter {
  /** The agency by id or by its abbreviation (`stttt`), as operators know it. */
  agency?: string | undefined;
  /** Part of the letter's number (số/ký hiệu), case-insensitive. */
  reference?: string | undefined;
  overdueAt?: Date | undefined;
}

function openDeadlines(db: Kysely<NotifierDb>, filter: OpenDeadlineFilter) {
  let q = db.selectFrom('deadlines').where('closed_at', 'is', null);
  if (filter.agency) q = q.where('agency_id', 'in', agencyIdsNamed(db, filter.agency));
  if (filter.reference) {
    q = q.where(sql<string>`reference->>'number'`, 'ilike', containsPattern(filter.reference));
  }
  if (filter.overdueAt) q = q.where('due_at', '<', filter.overdueAt);
  return q;
}

/** How many open deadlines match, and how many of them are already past at `now`. */
export async function countOpenDeadlines(
  db: Kysely<NotifierDb>,
  filter: OpenDeadlineFilter,
  now: Date,
): Promise<{ total: number; overdue: number }> {
  const row = await openDeadlines(db, filter)
    .select((eb) => [
      eb.fn.countAll<string>().as('total'),
      sql<string>`count(*) FILTER (WHERE due_at < ${now})`.as('overdue'),
    ])
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), overdue: Number(row.overdue) };
}

export async function listOpenDeadlines(
  db: Kysely<NotifierDb>,
  filter: OpenDeadlineFilter & { limit: number; offset?: number },
): Promise<OpenDeadlineView[]> {
  const rows = await openDeadlines(db, filter)
    .selectAll()
    .orderBy('due_at')
    .orderBy('request_id')
    .limit(filter.limit)
    .offset(filter.offset ?? 0)
    .execute();
  if (rows.length === 0) return [];
  const fired = await db
    .selectFrom('warnings')
    .select(['request_id', 'kind', 'fired_at'])
    .where(
      'request_id',
      'in',
      rows.map((r) => r.request_id),
    )
    .orderBy('fired_at')
    .execute();
  const byRequest = new Map<string, { kind: TimerKind; firedAt: string }[]>();
  for (const w of fired) {
    const list = byRequest.get(w.request_id) ?? [];
    list.push({ kind: w.kind, firedAt: w.fired_at.toISOString() });
    byRequest.set(w.request_id, list);
  }
  return rows.map((d) => ({
    requestId: d.request_id,
    agencyId: d.agency_id,
    province: d.province,
    reference: d.reference,
    itemCount: d.item_count,
    receivedAt: d.received_at.toISOString(),
    dueAt: d.due_at.toISOString(),
    confirmed: d.due_confirmed,
    warnings: byRequest.get(d.request_id) ?? [],
  }));
}
