// The deadline rule (Civil Code arts. 147–148 as state bodies apply it): receipt day not counted,
// ends at 24:00 of the N-th working day after it. `dueAt` is printed as 00:00 of the next day.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createCalendar,
  isWorkingDay,
  type Notice,
  OFFICIAL_NOTICES,
  workingDaysBetween,
} from './calendar.ts';
import { computeDeadline } from './deadline.ts';
import { addDays, formatVnIso, isWeekend, toLocalDate } from './local-date.ts';

const due = (receivedAt: string, workingDays: number) => computeDeadline(new Date(receivedAt), workingDays);

describe('computeDeadline', () => {
  it('when received on a Friday evening, then the count starts on Monday', () => {
    expect(due('2026-11-20T22:00:00+07:00', 1)).toMatchObject({
      receivedDate: '2026-11-20',
      dueDate: '2026-11-23',
      dueAtIso: '2026-11-24T00:00:00+07:00',
      confirmed: true,
    });
    expect(due('2026-11-20T22:00:00+07:00', 5).dueAtIso).toBe('2026-11-28T00:00:00+07:00');
  });

  it('when received at 01:00 on Friday in Hà Nội (still Thursday in UTC), then Friday is the day of receipt', () => {
    const deadline = due('2026-11-19T18:00:00Z', 1);
    expect(deadline.receivedDate).toBe('2026-11-20');
    expect(deadline.dueDate).toBe('2026-11-23');
  });

  it('dueAt is the instant 24:00 of the due date in Vietnam', () => {
    const deadline = due('2026-11-20T09:00:00+07:00', 3);
    expect(deadline.dueDate).toBe('2026-11-25');
    expect(deadline.dueAt.toISOString()).toBe('2026-11-25T17:00:00.000Z');
    expect(deadline.dueAtIso).toBe('2026-11-26T00:00:00+07:00');
    expect(formatVnIso(deadline.dueAt)).toBe(deadline.dueAtIso);
  });

  it('when received on the eve of Tết 2026 (29 Chạp, 16/2), then the first working day is Mon 23/2', () => {
    expect(due('2026-02-16T20:00:00+07:00', 1).dueAtIso).toBe('2026-02-24T00:00:00+07:00');
    expect(due('2026-02-13T16:00:00+07:00', 1).dueAtIso).toBe('2026-02-24T00:00:00+07:00');
  });

  it('when received on the eve of Tết 2025 (29 Chạp, 28/1), then three working days end on Wed 5/2', () => {
    expect(due('2025-01-28T10:00:00+07:00', 3)).toMatchObject({ dueDate: '2025-02-05', confirmed: true });
  });

  it('when received on a make-up Saturday, then that day is not counted and Sunday is skipped', () => {
    expect(due('2025-04-26T10:00:00+07:00', 1).dueAtIso).toBe('2025-04-29T00:00:00+07:00');
  });

  it('when received the Friday before a make-up Saturday, then that Saturday is the first working day', () => {
    expect(due('2025-04-25T15:00:00+07:00', 1).dueDate).toBe('2025-04-26');
    expect(due('2026-01-09T15:00:00+07:00', 1).dueDate).toBe('2026-01-10');
    // 27/4 Sun, then 28–29/4, then the 30/4–4/5 break (2/5 swapped).
    expect(due('2025-04-25T15:00:00+07:00', 4).dueDate).toBe('2025-05-05');
  });

  it('when Hùng Vương falls on a Sunday (2026), then Monday 27/4 is compensated and skipped', () => {
    expect(due('2026-04-24T10:00:00+07:00', 1).dueDate).toBe('2026-04-28');
    expect(due('2026-04-24T10:00:00+07:00', 3).dueDate).toBe('2026-05-04');
  });

  it('at each 2025–2026 holiday block, the deadline jumps the whole block', () => {
    expect(due('2025-01-24T10:00:00+07:00', 1).dueDate).toBe('2025-02-03');
    expect(due('2025-04-04T10:00:00+07:00', 1).dueDate).toBe('2025-04-08');
    expect(due('2025-08-29T10:00:00+07:00', 1).dueDate).toBe('2025-09-03');
    expect(due('2025-12-31T10:00:00+07:00', 1).dueDate).toBe('2026-01-05');
    expect(due('2026-04-29T10:00:00+07:00', 1).dueDate).toBe('2026-05-04');
    expect(due('2026-08-28T10:00:00+07:00', 1).dueDate).toBe('2026-09-03');
    expect(due('2026-08-21T10:00:00+07:00', 1).dueDate).toBe('2026-08-22');
  });

  it('when the period runs into a year without a notice, then the deadline is unconfirmed', () => {
    expect(due('2026-12-28T10:00:00+07:00', 5)).toMatchObject({
      dueDate: '2027-01-05',
      confirmed: false,
      unconfirmedYears: [2027],
    });
    expect(due('2026-12-28T10:00:00+07:00', 3)).toMatchObject({ dueDate: '2026-12-31', confirmed: true });
  });

  it('carries the calendar version, so a stored deadline can be re-planned when notices change', () => {
    const extra: Notice = {
      date: '2026-11-24',
      kind: 'holiday',
      occasion: 'other',
      label: 'Ngày Văn hóa Việt Nam',
      legalRef: 'test',
      scope: 'national',
      publishedAt: null,
    };
    const calendar = createCalendar({ notices: [...OFFICIAL_NOTICES, extra] });
    const before = due('2026-11-20T10:00:00+07:00', 3);
    const after = computeDeadline(new Date('2026-11-20T10:00:00+07:00'), 3, calendar);
    expect([before.dueDate, after.dueDate]).toEqual(['2026-11-25', '2026-11-26']);
    expect(after.calendarVersion).not.toBe(before.calendarVersion);
  });

  it('rejects a count below 1, a fraction, an invalid instant and a period past 2060', () => {
    expect(() => due('2026-11-20T10:00:00Z', 0)).toThrow(RangeError);
    expect(() => due('2026-11-20T10:00:00Z', -3)).toThrow(RangeError);
    expect(() => due('2026-11-20T10:00:00Z', 2.5)).toThrow(RangeError);
    expect(() => due('not a date', 1)).toThrow(RangeError);
    expect(() => due('2060-12-30T10:00:00Z', 5)).toThrow(RangeError);
  });
});

describe('computeDeadline properties', () => {
  const receivedAt = fc.date({
    min: new Date('2020-01-01T00:00:00+07:00'),
    max: new Date('2060-06-30T23:59:59.999+07:00'),
    noInvalidDate: true,
  });
  const workingDays = fc.integer({ min: 1, max: 60 });

  it('the deadline is the end of a working day: 00:00+07:00 right after a working day', () => {
    fc.assert(
      fc.property(receivedAt, workingDays, (at, n) => {
        const deadline = computeDeadline(at, n);
        expect(deadline.dueAtIso).toMatch(/T00:00:00\+07:00$/);
        const lastDay = toLocalDate(new Date(deadline.dueAt.getTime() - 1));
        expect(lastDay).toBe(deadline.dueDate);
        expect(isWorkingDay(lastDay)).toBe(true);
        expect(deadline.dueAt.getTime()).toBeGreaterThan(at.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('never earlier than N working days: exactly N working days after the day of receipt, none to spare', () => {
    fc.assert(
      fc.property(receivedAt, workingDays, (at, n) => {
        const { receivedDate, dueDate } = computeDeadline(at, n);
        expect(workingDaysBetween(receivedDate, dueDate)).toBe(n);
        expect(workingDaysBetween(receivedDate, addDays(dueDate, -1))).toBe(n - 1);
      }),
      { numRuns: 300 },
    );
  });

  it('monotonic: a later receipt or more working days never gives an earlier deadline', () => {
    fc.assert(
      fc.property(receivedAt, receivedAt, workingDays, workingDays, (a, b, n, m) => {
        const [early, late] = a.getTime() <= b.getTime() ? [a, b] : [b, a];
        expect(computeDeadline(early, n).dueAt.getTime()).toBeLessThanOrEqual(
          computeDeadline(late, n).dueAt.getTime(),
        );
        const [few, many] = n <= m ? [n, m] : [m, n];
        const [d1, d2] = [
          computeDeadline(early, few).dueAt.getTime(),
          computeDeadline(early, many).dueAt.getTime(),
        ];
        if (few < many) expect(d1).toBeLessThan(d2);
        else expect(d1).toBe(d2);
      }),
      { numRuns: 300 },
    );
  });

  it('an extra day off in a notice never brings a deadline forward', () => {
    const weekday = fc
      .integer({ min: 0, max: 365 * 35 })
      .map((offset) => addDays('2021-01-04', offset))
      // Not a make-up Saturday: closing one would contradict its own notice (createCalendar refuses).
      .filter((date) => isWorkingDay(date) && !isWeekend(date));
    fc.assert(
      fc.property(receivedAt, workingDays, weekday, (at, n, closed) => {
        const calendar = createCalendar({
          notices: [
            ...OFFICIAL_NOTICES,
            {
              date: closed,
              kind: 'closure',
              occasion: 'other',
              label: 'Nghỉ',
              legalRef: 'test',
              scope: 'national',
              publishedAt: null,
            },
          ],
        });
        expect(computeDeadline(at, n, calendar).dueAt.getTime()).toBeGreaterThanOrEqual(
          computeDeadline(at, n).dueAt.getTime(),
        );
      }),
      { numRuns: 100 },
    );
  });
});
