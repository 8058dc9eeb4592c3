// The lunar table against every vector of vietnam-domain.md §1.5–1.6, its invariants, the
// generator's cross-check, and the computed (pre-notice) rules.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import lunarTable from './data/lunar-dates.json' with { type: 'json' };
import {
  computedDaysOff,
  LUNAR_TABLE_FIRST_YEAR,
  LUNAR_TABLE_LAST_YEAR,
  lunarYear,
  provisionalNationalDayNeighbour,
  statutoryHolidays,
} from './holidays.ts';
import { addDays, dayOfWeek, toDayNumber } from './local-date.ts';

const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const weekday = (date: string) => WEEKDAY[dayOfWeek(date)];

describe('lunar table: vietnam-domain.md §1.6 vectors', () => {
  it.each([
    // year, Tết, weekday, last day of the old year (its Chạp day), Hùng Vương, weekday
    [2024, '2024-02-10', 'Sat', '2024-02-09', 30, '2024-04-18', 'Thu'],
    [2025, '2025-01-29', 'Wed', '2025-01-28', 29, '2025-04-07', 'Mon'],
    [2026, '2026-02-17', 'Tue', '2026-02-16', 29, '2026-04-26', 'Sun'],
    [2027, '2027-02-06', 'Sat', '2027-02-05', 29, '2027-04-16', 'Fri'],
    [2028, '2028-01-26', 'Wed', '2028-01-25', 29, '2028-04-04', 'Tue'],
    [2029, '2029-02-13', 'Tue', '2029-02-12', 29, '2029-04-23', 'Mon'],
    [2030, '2030-02-02', 'Sat', '2030-02-01', 29, '2030-04-12', 'Fri'],
  ])(
    '%i: Tết %s (%s), eve %s = %i Chạp, Hùng Vương %s (%s)',
    (year, tet, tetDay, eve, chap, hungVuong, hvDay) => {
      const row = lunarYear(year);
      expect(row).toEqual({ year, tet, lastDayOfOldYear: eve, lastLunarDayOfOldYear: chap, hungVuong });
      expect(weekday(tet)).toBe(tetDay);
      expect(weekday(hungVuong)).toBe(hvDay);
    },
  );

  it('2030: Vietnam (UTC+7) has Tết on 2/2, a day before China (3/2)', () => {
    expect(lunarYear(2030).tet).toBe('2030-02-02');
  });

  it('extra vectors: 1985-01-21 and 2007-02-17 (China a month / a day later), 2033-01-31', () => {
    expect(lunarYear(1985).tet).toBe('1985-01-21');
    expect(lunarYear(2007).tet).toBe('2007-02-17');
    expect(lunarYear(2033).tet).toBe('2033-01-31');
  });

  it('2031 has a leap 3rd month: Hùng Vương is the regular 10/3, 2031-04-01, not the leap one a month later', () => {
    const row = lunarYear(2031);
    expect(row.hungVuong).toBe('2031-04-01');
    // Regular 10/3 is 67–69 days after Tết; the leap month's 10/3 would be 96–99.
    expect(toDayNumber(row.hungVuong) - toDayNumber(row.tet)).toBeLessThan(70);
  });

  it('outside the table, then a RangeError rather than a guess', () => {
    expect(() => lunarYear(LUNAR_TABLE_FIRST_YEAR - 1)).toThrow(RangeError);
    expect(() => lunarYear(LUNAR_TABLE_LAST_YEAR + 1)).toThrow(RangeError);
  });
});

describe('lunar table: invariants of every row', () => {
  it('covers 1980–2060, one row per year, in order', () => {
    expect([LUNAR_TABLE_FIRST_YEAR, LUNAR_TABLE_LAST_YEAR]).toEqual([1980, 2060]);
    expect(lunarTable.years.map((row) => row.year)).toEqual(Array.from({ length: 81 }, (_, i) => 1980 + i));
  });

  it.each(lunarTable.years)(
    '$year: Tết in 21/1–20/2, eve the day before, 10/3 two lunar months and 9 days on',
    (row) => {
      expect(row.tet >= `${row.year}-01-21` && row.tet <= `${row.year}-02-20`).toBe(true);
      expect(addDays(row.lastDayOfOldYear, 1)).toBe(row.tet);
      expect([29, 30]).toContain(row.lastLunarDayOfOldYear);
      const days = toDayNumber(row.hungVuong) - toDayNumber(row.tet);
      // Two months of 29–30 days, plus a leap 1st or 2nd month in some years.
      expect((days >= 67 && days <= 69) || (days >= 96 && days <= 99)).toBe(true);
    },
  );

  it('the committed table is what the generator produces, with date-chinese and amlich agreeing on every year', () => {
    const script = fileURLToPath(new URL('../scripts/generate-lunar-table.ts', import.meta.url));
    const result = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);
});

describe('computed rules (before a notice)', () => {
  it('gives the eleven statutory days of the Labour Code 2019', () => {
    const days = statutoryHolidays(2027).map((entry) => `${entry.date} ${entry.occasion}`);
    expect(days).toEqual([
      '2027-01-01 new_year',
      '2027-02-05 tet',
      '2027-02-06 tet',
      '2027-02-07 tet',
      '2027-02-08 tet',
      '2027-02-09 tet',
      '2027-04-16 hung_vuong',
      '2027-04-30 reunification_labour_day',
      '2027-05-01 reunification_labour_day',
      '2027-09-02 national_day',
      '2027-09-03 national_day',
    ]);
  });

  it('when Tết days fall on a weekend, then they are made up after the block (art. 111(3))', () => {
    const tet2027 = computedDaysOff(2027).filter(
      (entry) => entry.occasion === 'tet' && entry.kind === 'compensatory',
    );
    expect(tet2027.map((entry) => entry.date)).toEqual(['2027-02-10', '2027-02-11']);
    expect(tet2027.every((entry) => entry.provisional)).toBe(true);
  });

  it('2023: Hùng Vương on Saturday and 30/4 on Sunday give 2 and 3 May off (the doc example)', () => {
    const compensatory = computedDaysOff(2023)
      .filter((entry) => entry.kind === 'compensatory')
      .map((entry) => `${entry.date} ${entry.occasion}`);
    expect(compensatory).toContain('2023-05-02 hung_vuong');
    expect(compensatory).toContain('2023-05-03 reunification_labour_day');
  });

  it('the provisional second National Day day matches every choice from 2021 to 2026', () => {
    expect([2021, 2022, 2023, 2024, 2025, 2026].map(provisionalNationalDayNeighbour)).toEqual([
      '2021-09-03',
      '2022-09-01',
      '2023-09-01',
      '2024-09-03',
      '2025-09-01',
      '2026-09-01',
    ]);
  });

  it('2020 is under the Labour Code 2012: one National Day day, no 1/9 or 3/9', () => {
    const national = statutoryHolidays(2020).filter((entry) => entry.occasion === 'national_day');
    expect(national.map((entry) => entry.date)).toEqual(['2020-09-02']);
    expect(national[0]?.legalRef).toContain('10/2012/QH13');
  });

  it('outside 2020–2060, then a RangeError', () => {
    expect(() => statutoryHolidays(2019)).toThrow(RangeError);
    expect(() => statutoryHolidays(2061)).toThrow(RangeError);
  });
});
