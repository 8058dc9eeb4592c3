// The working-day calendar of Vietnamese state bodies: Saturday and Sunday off, the computed
// holidays of holidays.ts, and the official yearly notices on top. Notices are data
// (data/notices.json, or rows passed to createCalendar): a new year, a late swap or a new holiday
// is added as rows, never as code.
//
// How a notice wins: holiday/compensatory rows for an occasion (e.g. `tet` in 2025) replace every
// computed holiday and compensatory day of that occasion in that year; swap_off and closure rows
// add days off; swap_workday rows turn a Saturday or Sunday into a working day. A year is
// confirmed once national notices place both days the Prime Minister fixes each year (Tết and
// National Day, art. 112(3)); until then it runs on the computed, provisional rules.
import noticesData from './data/notices.json' with { type: 'json' };
import {
  assertSupportedYear,
  type ComputedDayOff,
  computedDaysOff,
  FIRST_SUPPORTED_YEAR,
  LAST_SUPPORTED_YEAR,
  OCCASIONS,
  type Occasion,
} from './holidays.ts';
import {
  assertLocalDate,
  fromDayNumber,
  isLocalDate,
  isWeekend,
  type LocalDate,
  toDayNumber,
  yearOf,
} from './local-date.ts';

export type NoticeKind = 'holiday' | 'compensatory' | 'swap_off' | 'swap_workday' | 'closure';
export const NOTICE_KINDS: readonly NoticeKind[] = [
  'holiday',
  'compensatory',
  'swap_off',
  'swap_workday',
  'closure',
];

/** One row of an official notice: one date and what the notice makes of it. */
export type Notice = {
  date: LocalDate;
  kind: NoticeKind;
  occasion: Occasion;
  /** Vietnamese, as shown to users: "Tết Nguyên đán Bính Ngọ (mùng 1 Tết)". */
  label: string;
  /** The document the row rests on: "9441/TB-BNV", or the article of the Labour Code. */
  legalRef: string;
  scope: 'national' | 'province';
  /** Province slug (as in packages/naming) when scope is `province`. */
  province?: string;
  /** When the notice was published, if known. */
  publishedAt: LocalDate | null;
  /** Where the row was checked (a URL). */
  source?: string;
  note?: string;
};

export type YearStatus = 'confirmed' | 'unconfirmed';

/** Why a day is what it is: a computed rule or a notice row. */
export type DayReason =
  | {
      source: 'rule';
      kind: ComputedDayOff['kind'];
      occasion: Occasion;
      label: string;
      legalRef: string;
      provisional: boolean;
    }
  | { source: 'notice'; kind: NoticeKind; occasion: Occasion; label: string; legalRef: string };

export type DayInfo = {
  date: LocalDate;
  workingDay: boolean;
  weekend: boolean;
  reasons: DayReason[];
};

export type Calendar = {
  /** Changes whenever the notices (or the province) change; store it with each deadline. */
  readonly version: string;
  readonly province: string | null;
  readonly firstYear: number;
  readonly lastYear: number;
  readonly notices: readonly Notice[];
  isWorkingDay(date: LocalDate): boolean;
  /** The n-th working day after `date` (before it for negative n); `date` itself when n is 0. */
  addWorkingDays(date: LocalDate, n: number): LocalDate;
  /** Working days in (a, b] when a ≤ b; minus the working days in [b, a) when b < a. */
  workingDaysBetween(a: LocalDate, b: LocalDate): number;
  yearStatus(year: number): YearStatus;
  describeDay(date: LocalDate): DayInfo;
  /** Every date of `year` that a rule or a notice mentions, in order. */
  specialDays(year: number): DayInfo[];
};

export type CreateCalendarOptions = {
  /** Notice rows; validated. Defaults to the committed OFFICIAL_NOTICES. */
  notices?: readonly unknown[];
  /** Also apply the `province`-scoped rows of this province. */
  province?: string;
};

const DAY_OFF_KINDS: ReadonlySet<NoticeKind> = new Set(['holiday', 'compensatory', 'swap_off', 'closure']);
const REPLACING_KINDS: ReadonlySet<NoticeKind> = new Set(['holiday', 'compensatory']);
/** The occasions whose days the Prime Minister fixes each year; notices for both confirm a year. */
const CONFIRMING_OCCASIONS: readonly Occasion[] = ['tet', 'national_day'];

function fail(path: string, message: string): never {
  throw new RangeError(`${path}: ${message}`);
}

function requireString(row: Record<string, unknown>, field: string, path: string): string {
  const value = row[field];
  if (typeof value !== 'string' || value.trim() === '')
    fail(`${path}.${field}`, 'must be a non-empty string');
  return value;
}

/** Checks notice rows and returns them typed; throws a RangeError naming the row and field. */
export function parseNotices(rows: readonly unknown[]): Notice[] {
  if (!Array.isArray(rows)) fail('notices', 'must be an array');
  return rows.map((raw, index): Notice => {
    const path = `notices[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(path, 'must be an object');
    const row = raw as Record<string, unknown>;
    const date = row.date;
    if (!isLocalDate(date)) fail(`${path}.date`, `must be a YYYY-MM-DD date, got ${JSON.stringify(date)}`);
    const year = yearOf(date);
    if (year < FIRST_SUPPORTED_YEAR || year > LAST_SUPPORTED_YEAR) {
      fail(
        `${path}.date`,
        `${date} is outside the calendar's range ${FIRST_SUPPORTED_YEAR}–${LAST_SUPPORTED_YEAR}`,
      );
    }
    const kind = row.kind as NoticeKind;
    if (!NOTICE_KINDS.includes(kind)) fail(`${path}.kind`, `must be one of ${NOTICE_KINDS.join(', ')}`);
    if (kind === 'swap_workday' && !isWeekend(date))
      fail(`${path}.kind`, `swap_workday on ${date}, not a weekend`);
    if (kind === 'swap_off' && isWeekend(date)) fail(`${path}.kind`, `swap_off on ${date}, a weekend`);
    const occasion = row.occasion as Occasion;
    if (!OCCASIONS.includes(occasion)) fail(`${path}.occasion`, `must be one of ${OCCASIONS.join(', ')}`);
    const scope = row.scope;
    if (scope !== 'national' && scope !== 'province') fail(`${path}.scope`, 'must be national or province');
    const province = row.province;
    if (scope === 'province' && (typeof province !== 'string' || province === '')) {
      fail(`${path}.province`, 'is required when scope is province');
    }
    if (scope === 'national' && province !== undefined) fail(`${path}.province`, 'only for scope province');
    const publishedAt = row.publishedAt ?? null;
    if (publishedAt !== null && !isLocalDate(publishedAt))
      fail(`${path}.publishedAt`, 'must be YYYY-MM-DD or null');
    const notice: Notice = {
      date,
      kind,
      occasion,
      label: requireString(row, 'label', path),
      legalRef: requireString(row, 'legalRef', path),
      scope,
      publishedAt,
    };
    if (scope === 'province') notice.province = province as string;
    if (row.source !== undefined) notice.source = requireString(row, 'source', path);
    if (row.note !== undefined) notice.note = requireString(row, 'note', path);
    return notice;
  });
}

/** The committed notices (data/notices.json), checked when this module loads. */
export const OFFICIAL_NOTICES: readonly Notice[] = Object.freeze(parseNotices(noticesData.notices));

/** FNV-1a, enough to tell two notice tables apart in a stored deadline. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

type YearPlan = {
  reasons: Map<LocalDate, DayReason[]>;
  offDays: Set<LocalDate>;
  workdays: Set<LocalDate>;
  status: YearStatus;
};

function buildYearPlan(year: number, notices: readonly Notice[]): YearPlan {
  assertSupportedYear(year);
  const ofYear = notices.filter((notice) => yearOf(notice.date) === year);
  const replaced = new Set(ofYear.filter((n) => REPLACING_KINDS.has(n.kind)).map((n) => n.occasion));
  const reasons = new Map<LocalDate, DayReason[]>();
  const offDays = new Set<LocalDate>();
  const workdays = new Set<LocalDate>();
  const note = (date: LocalDate, reason: DayReason) =>
    reasons.set(date, [...(reasons.get(date) ?? []), reason]);

  for (const entry of computedDaysOff(year)) {
    if (replaced.has(entry.occasion)) continue;
    offDays.add(entry.date);
    const { date, ...rest } = entry;
    note(date, { source: 'rule', ...rest });
  }
  for (const notice of ofYear) {
    if (DAY_OFF_KINDS.has(notice.kind)) offDays.add(notice.date);
    else workdays.add(notice.date);
    const { kind, occasion, label, legalRef } = notice;
    note(notice.date, { source: 'notice', kind, occasion, label, legalRef });
  }
  for (const date of workdays) {
    if (offDays.has(date)) {
      throw new RangeError(`notices for ${date} make it both a make-up working day and a day off`);
    }
  }
  const national = ofYear.filter((n) => n.scope === 'national' && REPLACING_KINDS.has(n.kind));
  const confirmed = CONFIRMING_OCCASIONS.every((occasion) => national.some((n) => n.occasion === occasion));
  return { reasons, offDays, workdays, status: confirmed ? 'confirmed' : 'unconfirmed' };
}

function assertInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be an integer, got ${value}`);
}

/** A calendar with the given notices (default: the committed ones) and, optionally, a province's. */
export function createCalendar(options: CreateCalendarOptions = {}): Calendar {
  const province = options.province ?? null;
  const all = options.notices === undefined ? OFFICIAL_NOTICES : parseNotices(options.notices);
  const notices = Object.freeze(
    all.filter((notice) => notice.scope === 'national' || notice.province === province),
  );
  const canonical = [...notices]
    .map((n) => JSON.stringify([n.date, n.kind, n.occasion, n.scope, n.province ?? null]))
    .sort();
  const version = `notices-${fingerprint(JSON.stringify({ province, rows: canonical }))}`;
  const plans = new Map<number, YearPlan>();
  // Building a year checks its notices for conflicts, so a broken table fails here, not mid-request.
  for (const year of new Set(notices.map((notice) => yearOf(notice.date))))
    plans.set(year, buildYearPlan(year, notices));

  function planFor(year: number): YearPlan {
    let plan = plans.get(year);
    if (!plan) {
      plan = buildYearPlan(year, notices);
      plans.set(year, plan);
    }
    return plan;
  }

  function isWorkingDayNumber(dayNumber: number): boolean {
    const date = fromDayNumber(dayNumber);
    const plan = planFor(yearOf(date));
    if (plan.workdays.has(date)) return true;
    return !isWeekend(date) && !plan.offDays.has(date);
  }

  const calendar: Calendar = {
    version,
    province,
    firstYear: FIRST_SUPPORTED_YEAR,
    lastYear: LAST_SUPPORTED_YEAR,
    notices,
    isWorkingDay(date) {
      assertLocalDate(date);
      return isWorkingDayNumber(toDayNumber(date));
    },
    addWorkingDays(date, n) {
      assertLocalDate(date);
      assertInteger(n, 'n');
      const step = n < 0 ? -1 : 1;
      let day = toDayNumber(date);
      for (let left = Math.abs(n); left > 0; ) {
        day += step;
        if (isWorkingDayNumber(day)) left--;
      }
      return fromDayNumber(day);
    },
    workingDaysBetween(a, b) {
      assertLocalDate(a, 'a');
      assertLocalDate(b, 'b');
      const [from, to] = [toDayNumber(a), toDayNumber(b)];
      let count = 0;
      if (from <= to) {
        for (let day = from + 1; day <= to; day++) if (isWorkingDayNumber(day)) count++;
        return count;
      }
      for (let day = to; day < from; day++) if (isWorkingDayNumber(day)) count++;
      return -count;
    },
    yearStatus(year) {
      assertInteger(year, 'year');
      return planFor(year).status;
    },
    describeDay(date) {
      assertLocalDate(date);
      return {
        date,
        workingDay: isWorkingDayNumber(toDayNumber(date)),
        weekend: isWeekend(date),
        reasons: planFor(yearOf(date)).reasons.get(date) ?? [],
      };
    },
    specialDays(year) {
      assertInteger(year, 'year');
      return [...planFor(year).reasons.keys()].sort().map((date) => calendar.describeDay(date));
    },
  };
  return Object.freeze(calendar);
}

/** The calendar built from the committed notices, national scope. */
export const defaultCalendar: Calendar = createCalendar();

export function isWorkingDay(date: LocalDate): boolean {
  return defaultCalendar.isWorkingDay(date);
}

export function addWorkingDays(date: LocalDate, n: number): LocalDate {
  return defaultCalendar.addWorkingDays(date, n);
}

export function workingDaysBetween(a: LocalDate, b: LocalDate): number {
  return defaultCalendar.workingDaysBetween(a, b);
}

export function yearStatus(year: number): YearStatus {
  return defaultCalendar.yearStatus(year);
}
