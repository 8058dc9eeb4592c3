// Local calendar dates in Vietnam (Asia/Ho_Chi_Minh: UTC+7 all year, no DST since 1975) and the
// conversions between them and instants. A local date is a plain `YYYY-MM-DD` string: it sorts
// and compares as text, reads well in JSON and logs, and needs no class. All day arithmetic goes
// through a day number (days since 1970-01-01), so nothing here depends on the host's time zone.

/** A calendar date in Vietnam, `YYYY-MM-DD` (years 0001–9999). */
export type LocalDate = string;

export const VN_UTC_OFFSET = '+07:00';
const OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** Whether `value` is a real `YYYY-MM-DD` date (2026-02-30 is not). */
export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const match = LOCAL_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Throws a RangeError naming the value when it is not a real `YYYY-MM-DD` date. */
export function assertLocalDate(value: unknown, name = 'date'): asserts value is LocalDate {
  if (!isLocalDate(value))
    throw new RangeError(`${name} must be a YYYY-MM-DD date, got ${JSON.stringify(value)}`);
}

export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

/** Days since 1970-01-01 (negative before). */
export function toDayNumber(date: LocalDate): number {
  assertLocalDate(date);
  const utc = new Date(0);
  utc.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return Math.round(utc.getTime() / DAY_MS);
}

export function fromDayNumber(dayNumber: number): LocalDate {
  const utc = new Date(dayNumber * DAY_MS);
  return `${pad(utc.getUTCFullYear(), 4)}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}`;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** 0 = Sunday … 6 = Saturday, as `Date#getDay`. */
export function dayOfWeek(date: LocalDate): number {
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: LocalDate): boolean {
  const day = dayOfWeek(date);
  return day === 0 || day === 6;
}

function assertInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError('instant must be a valid Date');
  }
}

/** The date in Vietnam at `instant`: 2026-11-19T18:00Z is already Friday 20/11 in Hà Nội. */
export function toLocalDate(instant: Date): LocalDate {
  assertInstant(instant);
  return fromDayNumber(Math.floor((instant.getTime() + OFFSET_MS) / DAY_MS));
}

/** 00:00 of `date` in Vietnam, as an instant. */
export function startOfLocalDay(date: LocalDate): Date {
  return new Date(toDayNumber(date) * DAY_MS - OFFSET_MS);
}

/** 24:00 of `date` in Vietnam, which is the same instant as 00:00 of the next day. */
export function endOfLocalDay(date: LocalDate): Date {
  return startOfLocalDay(addDays(date, 1));
}

/**
 * ISO-8601 in Vietnam's offset: `2026-11-26T00:00:00+07:00`. Milliseconds are printed only when
 * they are not zero (`…T09:15:30.250+07:00`), so whole seconds stay short and nothing is lost.
 */
export function formatVnIso(instant: Date): string {
  assertInstant(instant);
  const local = new Date(instant.getTime() + OFFSET_MS);
  const ms = local.getUTCMilliseconds();
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${ms === 0 ? '' : `.${pad(ms, 3)}`}${VN_UTC_OFFSET}`
  );
}

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Parses an ISO-8601 instant that says which instant it is: a date-time with `Z` or an offset
 * (`2026-11-20T16:30:00+07:00`, `2026-11-20T09:30Z`). A bare local time is refused rather than read
 * in the host's time zone. Throws a RangeError; returns a Date.
 */
export function parseInstant(value: string): Date {
  const match = INSTANT.exec(value);
  if (!match) {
    throw new RangeError(
      `expected an ISO-8601 date-time with an offset (e.g. 2026-11-20T16:30:00+07:00), got ${JSON.stringify(value)}`,
    );
  }
  const [, y, mo, d, h, mi, s = '0', fraction = '', zone = 'Z'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!isLocalDate(`${y}-${mo}-${d}`) || hour > 23 || minute > 59 || second > 59) {
    throw new RangeError(`not a real date and time: ${JSON.stringify(value)}`);
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMins = Number(digits.slice(2));
    if (offsetHours > 23 || offsetMins > 59) throw new RangeError(`not a real UTC offset: ${zone}`);
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, ms);
  return new Date(utc.getTime() - offsetMinutes * 60_000);
}
