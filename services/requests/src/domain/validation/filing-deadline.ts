// The 10-day filing duty (Thanh Hóa Điều 15 khoản 3, Khánh Hòa Điều 14 khoản 4): an agency files a
// personnel change within the province's days of the decision taking effect (`reference.decision`,
// the form's "Căn cứ"). A later request is still accepted: it is flagged in its answer and counted
// in the summary. Pure: dates in, verdict out.
import { toLocalDate, workingDaysBetween } from '@hopthu/calendar';
import type { FilingDeadlineRule } from '@hopthu/naming';

export interface LateFiling {
  /** Days from the decision's effect to the day the request was received (the rule's kind of day). */
  daysAfterDecision: number;
  limitDays: number;
  dayKind: 'calendar' | 'working';
  article: string;
}

const DAY_MS = 24 * 3600 * 1000;

/** Days from `from` to `to` (YYYY-MM-DD), whole calendar days. */
const calendarDaysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/**
 * Null when the province sets no deadline, the request names no decision, or it came in time;
 * otherwise how late, with the article.
 */
export function judgeFiling(
  rule: FilingDeadlineRule | undefined,
  effectiveDate: string | undefined,
  receivedAt: Date,
): LateFiling | null {
  if (!rule || !effectiveDate) return null;
  const received = toLocalDate(receivedAt);
  const days =
    rule.dayKind === 'working'
      ? workingDaysBetween(effectiveDate, received)
      : calendarDaysBetween(effectiveDate, received);
  if (days <= rule.days) return null;
  return { daysAfterDecision: days, limitDays: rule.days, dayKind: rule.dayKind, article: rule.article };
}
