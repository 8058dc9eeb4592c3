// Generates src/data/lunar-dates.json, the only lunar data on the request path: for each Gregorian
// year, the solar dates (Vietnam, UTC+7) of Tết (lunar 1/1), the last day of the old lunar year
// (29 or 30 Chạp) and Giỗ Tổ Hùng Vương (lunar 10/3, never the leap 3rd month).
//
// Two independent implementations must agree on every value, and each must map its own answer
// back to the same lunar date; any disagreement is printed and the script exits 1 without writing:
//   A. date-chinese 2.1.4 `CalendarVietnamese` (VSOP87 / Meeus new moons and solar terms, MIT),
//   B. amlich 0.0.2, Hồ Ngọc Đức's algorithm, called with timeZone 7 (the package's own default
//      is not Vietnam's offset, so the 7 is essential).
// Neither package is imported by the calendar itself; they are root devDependencies for this
// script only. (The daily conversions of the two do differ elsewhere: date-chinese has two leap
// months in lunar 2033 and a leap 12th month before Tết 2053, and amlich returns lunar day 0 on
// 2054-05-07; none of this changes the values kept here, and the check below would say so if it did.)
//
// usage: node packages/calendar/scripts/generate-lunar-table.ts           write the table
//        node packages/calendar/scripts/generate-lunar-table.ts --check   exit 1 if the committed
//                                                                          table differs
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import amlich from 'amlich';
import { CalendarVietnamese } from 'date-chinese';

/** 1980 rather than 2020 so the pre-2020 test vectors (1985, 2007) are checked against the table. */
export const FIRST_YEAR = 1980;
export const LAST_YEAR = 2060;
const TIME_ZONE_HOURS = 7;
const OUTPUT = fileURLToPath(new URL('../src/data/lunar-dates.json', import.meta.url));

export type LunarYearRow = {
  year: number;
  /** Lunar 1/1 (mùng 1 Tết). */
  tet: string;
  /** The day before Tết: the last day of lunar month 12 of the old year. */
  lastDayOfOldYear: string;
  /** 29 or 30: which day of Chạp `lastDayOfOldYear` is. */
  lastLunarDayOfOldYear: number;
  /** Lunar 10/3 of the regular (non-leap) 3rd month. */
  hungVuong: string;
};

type SolarDate = { year: number; month: number; day: number };

function iso({ year, month, day }: SolarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function previousDay({ year, month, day }: SolarDate): SolarDate {
  const date = new Date(Date.UTC(year, month - 1, day - 1));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function expectLunar(
  problems: string[],
  source: string,
  what: string,
  actual: { year: number; month: number; leap: boolean; day: number },
  expected: { year: number; month: number; leap?: boolean; day?: number },
): void {
  const dayOk = expected.day === undefined || actual.day === expected.day;
  const leapOk = expected.leap === undefined || actual.leap === expected.leap;
  if (actual.year !== expected.year || actual.month !== expected.month || !leapOk || !dayOk) {
    problems.push(
      `${source}: ${what} maps back to ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
    );
  }
}

function rowFromDateChinese(year: number, problems: string[]): LunarYearRow {
  const calendar = new CalendarVietnamese();
  calendar.fromJDE(calendar.newYear(year));
  const tet = calendar.toGregorian(year);
  const [cycle, cycleYear] = calendar.get();
  const hungVuong = new CalendarVietnamese(cycle, cycleYear, 3, 0, 10).toGregorian(year);
  const lastDay = previousDay(tet);

  const lunarOf = (date: SolarDate) => {
    const c = new CalendarVietnamese().fromGregorian(date.year, date.month, date.day);
    const [, , month, leap, day] = c.get();
    return { year: c.yearFromEpochCycle(), month, leap: Boolean(leap), day };
  };
  expectLunar(problems, 'date-chinese', `Tết ${iso(tet)}`, lunarOf(tet), {
    year,
    month: 1,
    leap: false,
    day: 1,
  });
  expectLunar(problems, 'date-chinese', `10/3 ${iso(hungVuong)}`, lunarOf(hungVuong), {
    year,
    month: 3,
    leap: false,
    day: 10,
  });
  const last = lunarOf(lastDay);
  // Leap or not is left open for the eve: date-chinese calls the month before Tết 2053 a leap
  // 12th month where Hồ Ngọc Đức has a regular one. The eve is the day before lunar 1/1 either way.
  expectLunar(problems, 'date-chinese', `eve ${iso(lastDay)}`, last, { year: year - 1, month: 12 });
  return {
    year,
    tet: iso(tet),
    lastDayOfOldYear: iso(lastDay),
    lastLunarDayOfOldYear: last.day,
    hungVuong: iso(hungVuong),
  };
}

function rowFromAmlich(year: number, problems: string[]): LunarYearRow {
  const solar = (lunarDay: number, lunarMonth: number): SolarDate => {
    const [day = 0, month = 0, y = 0] = amlich.convertLunar2Solar(
      lunarDay,
      lunarMonth,
      year,
      0,
      TIME_ZONE_HOURS,
    );
    return { year: y, month, day };
  };
  const lunarOf = (date: SolarDate) => {
    const [day = 0, month = 0, y = 0, leap = 0] = amlich.convertSolar2Lunar(
      date.day,
      date.month,
      date.year,
      TIME_ZONE_HOURS,
    );
    return { year: y, month, leap: leap !== 0, day };
  };
  const tet = solar(1, 1);
  const hungVuong = solar(10, 3);
  const lastDay = previousDay(tet);
  expectLunar(problems, 'amlich', `Tết ${iso(tet)}`, lunarOf(tet), { year, month: 1, leap: false, day: 1 });
  expectLunar(problems, 'amlich', `10/3 ${iso(hungVuong)}`, lunarOf(hungVuong), {
    year,
    month: 3,
    leap: false,
    day: 10,
  });
  const last = lunarOf(lastDay);
  expectLunar(problems, 'amlich', `eve ${iso(lastDay)}`, last, { year: year - 1, month: 12 });
  return {
    year,
    tet: iso(tet),
    lastDayOfOldYear: iso(lastDay),
    lastLunarDayOfOldYear: last.day,
    hungVuong: iso(hungVuong),
  };
}

/** Builds the rows, or throws with every disagreement and failed check listed. */
export function buildLunarTable(firstYear = FIRST_YEAR, lastYear = LAST_YEAR): LunarYearRow[] {
  const problems: string[] = [];
  const rows: LunarYearRow[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    const yearProblems: string[] = [];
    const a = rowFromDateChinese(year, yearProblems);
    const b = rowFromAmlich(year, yearProblems);
    for (const key of ['tet', 'lastDayOfOldYear', 'lastLunarDayOfOldYear', 'hungVuong'] as const) {
      if (a[key] !== b[key]) yearProblems.push(`${key}: date-chinese ${a[key]} ≠ amlich ${b[key]}`);
    }
    if (a.lastLunarDayOfOldYear !== 29 && a.lastLunarDayOfOldYear !== 30) {
      yearProblems.push(`last day of the old year is lunar day ${a.lastLunarDayOfOldYear}`);
    }
    if (a.tet < `${year}-01-21` || a.tet > `${year}-02-20`)
      yearProblems.push(`Tết ${a.tet} outside 21/1–20/2`);
    problems.push(...yearProblems.map((problem) => `${year}: ${problem}`));
    rows.push(a);
  }
  if (problems.length > 0) {
    throw new Error(`the two lunar implementations disagree:\n  ${problems.join('\n  ')}`);
  }
  return rows;
}

/** The file's exact text, laid out as Biome formats JSON so `biome check` passes unchanged. */
export function renderLunarTable(rows: readonly LunarYearRow[]): string {
  const table = {
    description:
      'Lunar dates for the Vietnamese working-day calendar (UTC+7). Generated; do not edit by hand.',
    generator: 'packages/calendar/scripts/generate-lunar-table.ts',
    crossChecked: 'date-chinese 2.1.4 (CalendarVietnamese) and amlich 0.0.2 (Hồ Ngọc Đức, timeZone 7)',
    timeZone: '+07:00',
    firstYear: rows[0]?.year,
    lastYear: rows.at(-1)?.year,
    years: rows,
  };
  return `${JSON.stringify(table, null, 2)}\n`;
}

function main(argv: readonly string[]): void {
  const check = argv.includes('--check');
  let text: string;
  try {
    text = renderLunarTable(buildLunarTable());
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    return;
  }
  if (check) {
    const committed = readFileSync(OUTPUT, 'utf8');
    if (committed !== text) {
      process.stderr.write(`${OUTPUT} is out of date: run the generator without --check\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(`${OUTPUT}: up to date (${FIRST_YEAR}–${LAST_YEAR}, both implementations agree)\n`);
    return;
  }
  writeFileSync(OUTPUT, text);
  process.stdout.write(`wrote ${OUTPUT} (${FIRST_YEAR}–${LAST_YEAR}, both implementations agree)\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
