// The deadline rule for requests to state bodies: the day of receipt is not counted (Civil Code
// 2015 art. 147), and a period of N working days ends at 24:00 of the N-th working day after it
// (art. 148). `dueAt` is that instant, 00:00 of the next calendar day in Vietnam — e.g. 24:00 of
// Wed 25/11/2026 is `2026-11-26T00:00:00+07:00` — so an act is on time when it happens strictly
// before `dueAt`. `dueDate` names the working day itself.
import { type Calendar, defaultCalendar } from './calendar.ts';
import { addDays, endOfLocalDay, formatVnIso, type LocalDate, toLocalDate, yearOf } from './local-date.ts';

export type Deadline = {
  /** 24:00 of `dueDate` in Vietnam (= 00:00 of the next day), as an instant. */
  dueAt: Date;
  /** `dueAt` as ISO-8601 with +07:00: `2026-11-26T00:00:00+07:00`. */
  dueAtIso: string;
  /** The N-th working day after the day of receipt. */
  dueDate: LocalDate;
  /** The day of receipt in Vietnam (not counted). */
  receivedDate: LocalDate;
  workingDays: number;
  /** False when a year the period runs through has no official notice loaded yet. */
  confirmed: boolean;
  unconfirmedYears: number[];
  /** The calendar's version, to store with the deadline and re-plan when notices change. */
  calendarVersion: string;
};

/**
 * The deadline for something received at `receivedAt` with `workingDays` (≥ 1) working days to act.
 * Throws a RangeError for an invalid instant, a non-positive or fractional count, or a period that
 * leaves the calendar's years.
 */
export function computeDeadline(
  receivedAt: Date,
  workingDays: number,
  calendar: Calendar = defaultCalendar,
): Deadline {
  if (!Number.isSafeInteger(workingDays) || workingDays < 1) {
    throw new RangeError(`workingDays must be a whole number ≥ 1, got ${workingDays}`);
  }
  const receivedDate = toLocalDate(receivedAt);
  const dueDate = calendar.addWorkingDays(receivedDate, workingDays);
  const dueAt = endOfLocalDay(dueDate);
  const unconfirmedYears: number[] = [];
  for (let year = yearOf(addDays(receivedDate, 1)); year <= yearOf(dueDate); year++) {
    if (calendar.yearStatus(year) === 'unconfirmed') unconfirmedYears.push(year);
  }
  return {
    dueAt,
    dueAtIso: formatVnIso(dueAt),
    dueDate,
    receivedDate,
    workingDays,
    confirmed: unconfirmedYears.length === 0,
    unconfirmedYears,
    calendarVersion: calendar.version,
  };
}
