// The 2025 and 2026 schedules of vietnam-domain.md §1.3 as the default calendar sees them, and how
// notices (data) change a calendar.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  createCalendar,
  defaultCalendar,
  isWorkingDay,
  type Notice,
  OFFICIAL_NOTICES,
  workingDaysBetween,
  yearStatus,
} from './calendar.ts';
import { addDays, isWeekend } from './local-date.ts';

function buildNotice(overrides: Partial<Notice> = {}): Notice {
  return {
    date: '2026-11-24',
    kind: 'holiday',
    occasion: 'other',
    label: 'Ngày Văn hóa Việt Nam',
    legalRef: 'test',
    scope: 'national',
    publishedAt: null,
    ...overrides,
  };
}

function datesFrom(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) dates.push(date);
  return dates;
}

// §1.3: [occasion, first day off, last day off, make-up working Saturday]
const BLOCKS: [string, string, string, string | null][] = [
  ['2025 New Year', '2025-01-01', '2025-01-01', null],
  ['2025 Tết Ất Tỵ', '2025-01-25', '2025-02-02', null],
  ['2025 Hùng Vương', '2025-04-05', '2025-04-07', null],
  ['2025 30/4–1/5', '2025-04-30', '2025-05-04', '2025-04-26'],
  ['2025 National Day', '2025-08-30', '2025-09-02', null],
  ['2026 New Year', '2026-01-01', '2026-01-04', '2026-01-10'],
  ['2026 Tết Bính Ngọ', '2026-02-14', '2026-02-22', null],
  ['2026 Hùng Vương', '2026-04-25', '2026-04-27', null],
  ['2026 30/4–1/5', '2026-04-30', '2026-05-03', null],
  ['2026 National Day', '2026-08-29', '2026-09-02', '2026-08-22'],
];

describe('default calendar: the official 2025 and 2026 schedules', () => {
  it.each(BLOCKS)(
    '%s: off %s–%s, working the days around it and the make-up Saturday %s',
    (_, first, last, makeUp) => {
      for (const date of datesFrom(first, last)) expect(isWorkingDay(date), date).toBe(false);
      expect(isWorkingDay(addDays(first, -1)), `day before ${first}`).toBe(true);
      expect(isWorkingDay(addDays(last, 1)), `day after ${last}`).toBe(true);
      if (makeUp) {
        expect(isWeekend(makeUp)).toBe(true);
        expect(isWorkingDay(makeUp), makeUp).toBe(true);
      }
    },
  );

  it('2025 and 2026 each have 250 working days (261 weekdays; 12 off + 1 make-up Saturday, 13 off + 2)', () => {
    expect(workingDaysBetween('2024-12-31', '2025-12-31')).toBe(250);
    expect(workingDaysBetween('2025-12-31', '2026-12-31')).toBe(250);
  });

  it('2025 Tết: the notice (27–31/1) wins over the provisional rule (28/1–1/2, made up on 3/2)', () => {
    const rulesOnly = createCalendar({ notices: [] });
    expect(rulesOnly.isWorkingDay('2025-01-27')).toBe(true);
    expect(rulesOnly.isWorkingDay('2025-02-03')).toBe(false);
    expect(isWorkingDay('2025-01-27')).toBe(false);
    expect(isWorkingDay('2025-02-03')).toBe(true);
  });

  it('2026: the rules alone already give every official holiday and compensatory day; only the swaps need the notice', () => {
    const rulesOnly = createCalendar({ notices: [] });
    const differences = datesFrom('2026-01-01', '2026-12-31').filter(
      (date) => rulesOnly.isWorkingDay(date) !== isWorkingDay(date),
    );
    expect(differences).toEqual(['2026-01-02', '2026-01-10', '2026-08-22', '2026-08-31']);
  });

  it('explains a day with its legal reference', () => {
    const day = defaultCalendar.describeDay('2026-02-17');
    expect(day).toMatchObject({ workingDay: false, weekend: false });
    expect(day.reasons).toEqual([
      expect.objectContaining({ source: 'notice', kind: 'holiday', legalRef: '9441/TB-BNV' }),
    ]);
    expect(defaultCalendar.describeDay('2025-04-26').reasons[0]).toMatchObject({
      kind: 'swap_workday',
      legalRef: '6150/TB-BLĐTBXH',
    });
    expect(defaultCalendar.specialDays(2026).map((day) => day.date)).toContain('2026-04-27');
  });

  it('every committed notice names its legal reference; 2025 rests on 6150/TB-BLĐTBXH and 2026 on 9441/TB-BNV', () => {
    expect(OFFICIAL_NOTICES.every((notice) => notice.legalRef.length > 0)).toBe(true);
    const tetRefs = (year: string) =>
      new Set(
        OFFICIAL_NOTICES.filter((n) => n.occasion === 'tet' && n.date.startsWith(year)).map(
          (n) => n.legalRef,
        ),
      );
    expect([...tetRefs('2025')]).toEqual(['6150/TB-BLĐTBXH']);
    expect([...tetRefs('2026')]).toEqual(['9441/TB-BNV']);
  });
});

describe('year status', () => {
  it('2025 and 2026 are confirmed; a year without a notice is not', () => {
    expect(yearStatus(2025)).toBe('confirmed');
    expect(yearStatus(2026)).toBe('confirmed');
    expect(yearStatus(2027)).toBe('unconfirmed');
    expect(yearStatus(2020)).toBe('unconfirmed');
    expect(createCalendar({ notices: [] }).yearStatus(2026)).toBe('unconfirmed');
  });

  it('a year is confirmed once notices place both Tết and National Day', () => {
    const tetOnly = createCalendar({ notices: [buildNotice({ date: '2027-02-08', occasion: 'tet' })] });
    expect(tetOnly.yearStatus(2027)).toBe('unconfirmed');
    const both = createCalendar({
      notices: [
        buildNotice({ date: '2027-02-08', occasion: 'tet' }),
        buildNotice({ date: '2027-09-02', occasion: 'national_day' }),
      ],
    });
    expect(both.yearStatus(2027)).toBe('confirmed');
  });

  it('outside 2020–2060, then a RangeError', () => {
    expect(() => yearStatus(2019)).toThrow(RangeError);
    expect(() => yearStatus(2061)).toThrow(RangeError);
  });
});

describe('notices are data', () => {
  it('when a new holiday (24/11, Ngày Văn hóa Việt Nam) is added as a row, then it is a day off', () => {
    const calendar = createCalendar({ notices: [...OFFICIAL_NOTICES, buildNotice()] });
    expect(isWorkingDay('2026-11-24')).toBe(true);
    expect(calendar.isWorkingDay('2026-11-24')).toBe(false);
    expect(calendar.version).not.toBe(defaultCalendar.version);
  });

  it('when a late swap arrives without repeating the holiday, then the holiday stays', () => {
    const calendar = createCalendar({
      notices: [
        buildNotice({ date: '2027-04-30', kind: 'swap_off', occasion: 'reunification_labour_day' }),
        buildNotice({ date: '2027-05-08', kind: 'swap_workday', occasion: 'reunification_labour_day' }),
      ],
    });
    expect(calendar.isWorkingDay('2027-04-30')).toBe(false);
    expect(calendar.isWorkingDay('2027-05-03')).toBe(false); // 1/5/2027 is a Saturday: made up on Monday
    expect(calendar.isWorkingDay('2027-05-08')).toBe(true);
  });

  it('when a Tết notice arrives, then it replaces the whole provisional Tết block and its compensatory days', () => {
    const before = createCalendar({ notices: [] });
    expect(before.isWorkingDay('2027-02-10')).toBe(false);
    const after = createCalendar({
      notices: ['2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10'].map((date) =>
        buildNotice({ date, occasion: 'tet' }),
      ),
    });
    expect(after.isWorkingDay('2027-02-04')).toBe(false);
    expect(after.isWorkingDay('2027-02-11')).toBe(true);
    expect(after.isWorkingDay('2027-04-16')).toBe(false); // other occasions still computed
  });

  it('province rows apply only to a calendar built for that province', () => {
    const notices = [
      buildNotice({ date: '2026-03-10', kind: 'closure', scope: 'province', province: 'bac-ninh' }),
    ];
    expect(createCalendar({ notices }).isWorkingDay('2026-03-10')).toBe(true);
    expect(createCalendar({ notices, province: 'bac-ninh' }).isWorkingDay('2026-03-10')).toBe(false);
    expect(createCalendar({ notices, province: 'bac-ninh' }).yearStatus(2026)).toBe('unconfirmed');
  });

  it('the version does not depend on the order of the rows', () => {
    const rows = [...OFFICIAL_NOTICES];
    expect(createCalendar({ notices: rows.reverse() }).version).toBe(defaultCalendar.version);
  });

  it.each([
    [{ kind: 'day_off' }, 'notices[0].kind'],
    [{ date: '2026-02-30' }, 'notices[0].date'],
    [{ date: '2070-01-01' }, 'notices[0].date'],
    [{ occasion: 'christmas' }, 'notices[0].occasion'],
    [{ kind: 'swap_workday', date: '2026-11-24' }, 'notices[0].kind'],
    [{ kind: 'swap_off', date: '2026-11-21' }, 'notices[0].kind'],
    [{ legalRef: '' }, 'notices[0].legalRef'],
    [{ scope: 'province' }, 'notices[0].province'],
    [{ scope: 'everywhere' }, 'notices[0].scope'],
  ] as [Partial<Record<keyof Notice, unknown>>, string][])(
    'when a row has %o, then createCalendar throws naming %s',
    (overrides, path) => {
      expect(() => createCalendar({ notices: [{ ...buildNotice(), ...overrides }] })).toThrow(path);
    },
  );

  it('when notices make a day both a make-up working day and a day off, then createCalendar throws', () => {
    const notices = [
      buildNotice({ date: '2026-11-21', kind: 'swap_workday' }),
      buildNotice({ date: '2026-11-21', kind: 'closure' }),
    ];
    expect(() => createCalendar({ notices })).toThrow(/2026-11-21/);
  });
});

describe('working-day arithmetic', () => {
  it('counts from the day after: the start day is never counted', () => {
    expect(addWorkingDays('2026-11-20', 1)).toBe('2026-11-23');
    expect(addWorkingDays('2026-11-21', 1)).toBe('2026-11-23');
    expect(addWorkingDays('2026-11-23', 0)).toBe('2026-11-23');
    expect(addWorkingDays('2026-11-23', -1)).toBe('2026-11-20');
    expect(workingDaysBetween('2026-11-20', '2026-11-23')).toBe(1);
    expect(workingDaysBetween('2026-11-23', '2026-11-20')).toBe(-1);
    expect(workingDaysBetween('2026-02-13', '2026-02-23')).toBe(1);
  });

  it('rejects a fractional count and a malformed date', () => {
    expect(() => addWorkingDays('2026-11-20', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays('20/11/2026', 1)).toThrow(RangeError);
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
  });

  it('when the count runs past 2060, then a RangeError rather than a wrong date', () => {
    expect(() => addWorkingDays('2060-12-20', 30)).toThrow(RangeError);
  });

  it('property: addWorkingDays and workingDaysBetween are inverse, and the result is a working day', () => {
    const date = fc.integer({ min: 0, max: 39 * 365 }).map((offset) => addDays('2020-06-01', offset));
    fc.assert(
      fc.property(date, fc.integer({ min: -60, max: 60 }), (start, n) => {
        const end = addWorkingDays(start, n);
        expect(workingDaysBetween(start, end)).toBe(n);
        if (n !== 0) expect(isWorkingDay(end)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
