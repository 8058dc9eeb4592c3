// The dashboard's and the reports' figures, computed from what the services' admin APIs answer
// (requests with their times; mailboxes per agency). Pure: the caller passes the day. A request is
// answered on time when it finished before its `dueAt`: the deadline the requests service set when
// it received it (24:00 of the N-th working day after the day of receipt, N from the province's
// policy, SLA_WORKING_DAYS for a province without one; @hopthu/calendar's computeDeadline), the one
// the agency was told. The console never recomputes it, so its reports and the requests service
// agree on every province; one still open past that day has missed it.
import { addDays, type LocalDate, toLocalDate, workingDaysBetween } from '@hopthu/calendar';

export interface RequestTimes {
  id: string;
  agencyId: string;
  province: string;
  status: string;
  receivedAt: string;
  /** The deadline the requests service set on receipt (an instant: 24:00 of the last working day). */
  dueAt: string;
  finishedAt: string | null;
}

export interface SlaFigures {
  /** Finished, or open past the deadline: the requests whose outcome is known. */
  counted: number;
  onTime: number;
  late: number;
  /** Still open and not yet due: not counted either way. */
  pending: number;
  /** onTime / counted, 0–1; null when nothing was counted. */
  share: number | null;
}

export type SlaOutcome = 'on_time' | 'late' | 'pending';

/** Whether one request met its deadline (`dueAt`, as the requests service set it), seen on `today`. */
export function slaOutcome(r: RequestTimes, today: LocalDate): SlaOutcome {
  const dueAt = Date.parse(r.dueAt);
  if (r.finishedAt) return Date.parse(r.finishedAt) < dueAt ? 'on_time' : 'late';
  // the deadline's own day: dueAt is 24:00 of it, the first instant of the next
  return today > toLocalDate(new Date(dueAt - 1)) ? 'late' : 'pending';
}

export function slaFigures(requests: readonly RequestTimes[], today: LocalDate): SlaFigures {
  let onTime = 0;
  let late = 0;
  let pending = 0;
  for (const r of requests) {
    const o = slaOutcome(r, today);
    if (o === 'on_time') onTime++;
    else if (o === 'late') late++;
    else pending++;
  }
  const counted = onTime + late;
  return { counted, onTime, late, pending, share: counted === 0 ? null : onTime / counted };
}

/** SLA figures per agency, the agencies in the order of their first request. */
export function slaByAgency(
  requests: readonly RequestTimes[],
  today: LocalDate,
): Map<string, SlaFigures & { received: number }> {
  const groups = new Map<string, RequestTimes[]>();
  for (const r of requests) {
    const list = groups.get(r.agencyId) ?? [];
    list.push(r);
    groups.set(r.agencyId, list);
  }
  return new Map(
    [...groups].map(([agencyId, list]) => [agencyId, { received: list.length, ...slaFigures(list, today) }]),
  );
}

/** Requests received on each day from `from` to `to` (Vietnam days), days without any included. */
export function requestsPerDay(
  requests: readonly RequestTimes[],
  from: LocalDate,
  to: LocalDate,
): { day: LocalDate; count: number }[] {
  const counts = new Map<LocalDate, number>();
  for (const r of requests) {
    const d = toLocalDate(new Date(r.receivedAt));
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  const days: { day: LocalDate; count: number }[] = [];
  for (let d = from; d <= to && days.length < 400; d = addDays(d, 1)) {
    days.push({ day: d, count: counts.get(d) ?? 0 });
  }
  return days;
}

/** The buckets of the time from request to result, in working days after the day of receipt. */
export const DURATION_BUCKETS = [
  { key: 'same_day', label: 'Trong ngày', max: 0 },
  { key: 'one', label: '1 ngày', max: 1 },
  { key: 'two', label: '2 ngày', max: 2 },
  { key: 'three_five', label: '3–5 ngày', max: 5 },
  { key: 'more', label: 'Trên 5 ngày', max: Number.POSITIVE_INFINITY },
] as const;

/** How many finished requests took how long (working days from the day received to the result). */
export function resultTimes(requests: readonly RequestTimes[]): { label: string; count: number }[] {
  const counts: number[] = DURATION_BUCKETS.map(() => 0);
  for (const r of requests) {
    if (!r.finishedAt) continue;
    const days = workingDaysBetween(toLocalDate(new Date(r.receivedAt)), toLocalDate(new Date(r.finishedAt)));
    const i = DURATION_BUCKETS.findIndex((b) => days <= b.max);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return DURATION_BUCKETS.map((b, i) => ({ label: b.label, count: counts[i] ?? 0 }));
}

/** A share as Vietnamese read it: "87,5 %"; "—" when there is nothing to divide. */
export function formatShare(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return '—';
  const text = (Math.round(share * 1000) / 10).toFixed(1).replace('.', ',').replace(/,0$/, '');
  return `${text} %`;
}

export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
