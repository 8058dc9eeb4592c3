// Figures of the requests service for the console's dashboard and reports: requests still open
// (due today, overdue), the requests received in a period with their times, failed items, and the
// requests filed later than the province allows after their decision (lateFiling: Thanh Hóa Điều 15
// khoản 3, Khánh Hòa Điều 14 khoản 4).
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Most requests one summary lists; `truncated` says when a period held more. */
export const SUMMARY_REQUEST_LIMIT = 50_000;

export interface SummaryRequest {
  id: string;
  agencyId: string;
  province: string;
  status: string;
  receivedAt: string;
  dueAt: string;
  finishedAt: string | null;
  /** Days after the decision took effect, when filed later than the province allows. */
  lateFilingDays: number | null;
}

export async function readRequestSummary(
  db: Kysely<Database>,
  p: { from: Date; to: Date; now: Date; endOfToday: Date; province?: string | undefined },
) {
  const province = p.province ? sql`AND province = ${p.province}` : sql``;
  const { rows: open } = await sql<{ open: string; due_today: string; overdue: string }>`
    SELECT count(*) AS open,
      count(*) FILTER (WHERE due_at > ${p.now} AND due_at <= ${p.endOfToday}) AS due_today,
      count(*) FILTER (WHERE due_at <= ${p.now}) AS overdue
    FROM requests WHERE finished_at IS NULL ${province}`.execute(db);
  const { rows } = await sql<{
    id: string;
    agency_id: string;
    province: string;
    status: string;
    received_at: Date;
    due_at: Date;
    finished_at: Date | null;
    late_days: number | null;
  }>`
    SELECT id, agency_id, province, status, received_at, due_at, finished_at,
           (response->'lateFiling'->>'daysAfterDecision')::int AS late_days FROM requests
    WHERE received_at >= ${p.from} AND received_at < ${p.to} ${province}
    ORDER BY received_at LIMIT ${SUMMARY_REQUEST_LIMIT + 1}`.execute(db);
  const { rows: failed } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM request_items i JOIN requests r ON r.id = i.request_id
    WHERE i.status = 'failed' AND r.received_at >= ${p.from} AND r.received_at < ${p.to}
      ${p.province ? sql`AND r.province = ${p.province}` : sql``}`.execute(db);
  const { rows: late } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM requests
    WHERE response ? 'lateFiling' AND received_at >= ${p.from} AND received_at < ${p.to} ${province}`.execute(
    db,
  );
  const requests: SummaryRequest[] = rows.slice(0, SUMMARY_REQUEST_LIMIT).map((r) => ({
    id: r.id,
    agencyId: r.agency_id,
    province: r.province,
    status: r.status,
    receivedAt: r.received_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    lateFilingDays: r.late_days,
  }));
  return {
    open: Number(open[0]?.open ?? 0),
    dueToday: Number(open[0]?.due_today ?? 0),
    overdue: Number(open[0]?.overdue ?? 0),
    failedItems: Number(failed[0]?.n ?? 0),
    /** Requests of the period filed later than the province allows after their decision. */
    lateFilings: Number(late[0]?.n ?? 0),
    requests,
    truncated: rows.length > SUMMARY_REQUEST_LIMIT,
  };
}
