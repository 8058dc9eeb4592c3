// The computed layer of the calendar: the statutory holidays of the Labour Code for a year, with
// the provisional placements the Prime Minister normally fixes (the Tết block, the second National
// Day day) and the compensatory days of art. 111(3). Official notices (calendar.ts) override it
// occasion by occasion; this is what a year looks like before its notice is published.
import lunarTable from './data/lunar-dates.json' with { type: 'json' };
import { addDays, dayOfWeek, isWeekend, type LocalDate, yearOf } from './local-date.ts';

/** The holiday an entry belongs to; a notice about an occasion replaces the computed days for it. */
export type Occasion =
  | 'new_year'
  | 'tet'
  | 'hung_vuong'
  | 'reunification_labour_day'
  | 'national_day'
  | 'other';
export const OCCASIONS: readonly Occasion[] = [
  'new_year',
  'tet',
  'hung_vuong',
  'reunification_labour_day',
  'national_day',
  'other',
];

/** A day off that the rules produce (not a notice). */
export type ComputedDayOff = {
  date: LocalDate;
  kind: 'holiday' | 'compensatory';
  occasion: Occasion;
  label: string;
  legalRef: string;
  /** True for placements the Prime Minister fixes each year and that are only guessed here. */
  provisional: boolean;
};

export type LunarYear = {
  year: number;
  tet: LocalDate;
  lastDayOfOldYear: LocalDate;
  lastLunarDayOfOldYear: number;
  hungVuong: LocalDate;
};

const LUNAR_BY_YEAR: ReadonlyMap<number, LunarYear> = new Map(
  (lunarTable.years as LunarYear[]).map((row) => [row.year, row]),
);
export const LUNAR_TABLE_FIRST_YEAR: number = lunarTable.firstYear;
export const LUNAR_TABLE_LAST_YEAR: number = lunarTable.lastYear;

/** The lunar-derived dates of a Gregorian year, from the committed table. */
export function lunarYear(year: number): LunarYear {
  const row = LUNAR_BY_YEAR.get(year);
  if (!row) {
    throw new RangeError(
      `no lunar dates for ${year}: the table covers ${LUNAR_TABLE_FIRST_YEAR}–${LUNAR_TABLE_LAST_YEAR}`,
    );
  }
  return row;
}

/**
 * The holiday law in force, by first year. The Labour Code 2012 (10/2012/QH13, art. 115) gave one
 * National Day day; the Labour Code 2019 (45/2019/QH14, art. 112), in force from 1/1/2021, gives
 * two. A future amendment (e.g. 24/11, Ngày Văn hóa Việt Nam) can be loaded as notices until it is
 * written here.
 */
type LawVersion = {
  fromYear: number;
  holidaysRef: string;
  compensatoryRef: string;
  nationalDayDays: 1 | 2;
};
const LAW_VERSIONS: readonly LawVersion[] = [
  {
    fromYear: 2013,
    holidaysRef: 'BLLĐ 2012 (10/2012/QH13) Điều 115(1)',
    compensatoryRef: 'BLLĐ 2012 (10/2012/QH13) Điều 115(3)',
    nationalDayDays: 1,
  },
  {
    fromYear: 2021,
    holidaysRef: 'BLLĐ 2019 (45/2019/QH14) Điều 112(1)',
    compensatoryRef: 'BLLĐ 2019 (45/2019/QH14) Điều 111(3)',
    nationalDayDays: 2,
  },
];

/** The years the computed rules are written for: from 2020 to the end of the lunar table. */
export const FIRST_SUPPORTED_YEAR = 2020;
export const LAST_SUPPORTED_YEAR = LUNAR_TABLE_LAST_YEAR;

export function assertSupportedYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_SUPPORTED_YEAR || year > LAST_SUPPORTED_YEAR) {
    throw new RangeError(
      `year ${year} is outside the calendar's range ${FIRST_SUPPORTED_YEAR}–${LAST_SUPPORTED_YEAR}`,
    );
  }
}

function lawFor(year: number): LawVersion {
  const law = LAW_VERSIONS.findLast((version) => version.fromYear <= year);
  if (!law) throw new RangeError(`no holiday law recorded for ${year}`);
  return law;
}

function iso(year: number, month: number, day: number): LocalDate {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The provisional second National Day day: the neighbour of 2/9 that makes the longer break with
 * the weekend — 3/9 when 2/9 is a Sunday, Monday or Thursday, otherwise 1/9. This reproduces every
 * Prime Minister's choice from 2021 to 2026 (3/9 in 2021 and 2024; 1/9 in 2022, 2023, 2025, 2026).
 */
export function provisionalNationalDayNeighbour(year: number): LocalDate {
  const weekday = dayOfWeek(iso(year, 9, 2));
  return weekday === 0 || weekday === 1 || weekday === 4 ? iso(year, 9, 3) : iso(year, 9, 1);
}

/** The statutory holidays of `year` (art. 112(1)), Tết and 1/9-or-3/9 placed provisionally. */
export function statutoryHolidays(year: number): ComputedDayOff[] {
  assertSupportedYear(year);
  const law = lawFor(year);
  const lunar = lunarYear(year);
  const holiday = (
    date: LocalDate,
    occasion: Occasion,
    label: string,
    provisional = false,
  ): ComputedDayOff => ({
    date,
    kind: 'holiday',
    occasion,
    label,
    legalRef: law.holidaysRef,
    provisional,
  });
  // Tết: the Prime Minister picks the five days (art. 112(3)); until then, the eve plus mùng 1–4.
  const tet = [0, 1, 2, 3, 4].map((offset) =>
    holiday(
      addDays(lunar.lastDayOfOldYear, offset),
      'tet',
      offset === 0
        ? `Tết Nguyên đán (${lunar.lastLunarDayOfOldYear} tháng Chạp)`
        : `Tết Nguyên đán (mùng ${offset})`,
      true,
    ),
  );
  const nationalDay = [holiday(iso(year, 9, 2), 'national_day', 'Quốc khánh (2/9)')];
  if (law.nationalDayDays === 2) {
    const neighbour = provisionalNationalDayNeighbour(year);
    nationalDay.push(
      holiday(neighbour, 'national_day', `Quốc khánh (${Number(neighbour.slice(8))}/9)`, true),
    );
  }
  return [
    holiday(iso(year, 1, 1), 'new_year', 'Tết Dương lịch (1/1)'),
    ...tet,
    holiday(lunar.hungVuong, 'hung_vuong', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)'),
    holiday(iso(year, 4, 30), 'reunification_labour_day', 'Ngày Chiến thắng (30/4)'),
    holiday(iso(year, 5, 1), 'reunification_labour_day', 'Ngày Quốc tế lao động (1/5)'),
    ...nationalDay,
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * Art. 111(3): a holiday on a weekly rest day is made up on the next working day. Each holiday on
 * a weekend takes the first later weekday that is neither a holiday nor already taken, so
 * Hùng Vương on Sat 29/4/2023 and 30/4 on Sunday give Tue 2/5 and Wed 3/5 (1/5 being a holiday).
 */
export function compensatoryDays(
  holidays: readonly ComputedDayOff[],
  compensatoryRef: string,
): ComputedDayOff[] {
  const taken = new Set(holidays.map((entry) => entry.date));
  const result: ComputedDayOff[] = [];
  const ordered = [...holidays].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const entry of ordered) {
    if (!isWeekend(entry.date)) continue;
    let date = addDays(entry.date, 1);
    while (isWeekend(date) || taken.has(date)) date = addDays(date, 1);
    taken.add(date);
    result.push({
      date,
      kind: 'compensatory',
      occasion: entry.occasion,
      label: `Nghỉ bù ${entry.label}`,
      legalRef: compensatoryRef,
      provisional: entry.provisional,
    });
  }
  return result;
}

/** Every day off the rules give `year`: statutory holidays and their compensatory days. */
export function computedDaysOff(year: number): ComputedDayOff[] {
  const holidays = statutoryHolidays(year);
  return [...holidays, ...compensatoryDays(holidays, lawFor(year).compensatoryRef)].filter(
    (entry) => yearOf(entry.date) === year,
  );
}
