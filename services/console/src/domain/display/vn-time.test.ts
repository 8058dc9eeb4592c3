import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, formatDeadline, formatRemaining } from './vn-time.ts';

describe('formatDateTime', () => {
  it('when given a UTC instant, then writes Hanoi time as HH:MM dd/mm/yyyy', () => {
    expect(formatDateTime('2026-12-07T07:05:00Z')).toBe('14:05 07/12/2026');
    expect(formatDateTime('2026-12-31T17:30:00Z')).toBe('00:30 01/01/2027');
  });
  it('when given something that is not a time, then says so with undefined', () => {
    expect(formatDateTime('not a time')).toBeUndefined();
  });
});

describe('formatDeadline', () => {
  it('when the deadline is midnight in Hanoi, then it reads as 24:00 of the day before (hết ngày)', () => {
    expect(formatDeadline('2026-12-08T00:00:00+07:00')).toBe('24:00 07/12/2026');
    expect(formatDeadline('2027-01-01T00:00:00+07:00')).toBe('24:00 31/12/2026');
    expect(formatDeadline('2028-03-01T00:00:00+07:00')).toBe('24:00 29/02/2028');
  });
  it('when the deadline is not midnight, then it is written like any time', () => {
    expect(formatDeadline('2026-12-08T00:00:01+07:00')).toBe('00:00 08/12/2026');
    expect(formatDeadline('2026-12-07T16:30:00+07:00')).toBe('16:30 07/12/2026');
  });
  it('never shows 00:00 for a midnight deadline, and names the day that ends there', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), (dayNumber) => {
        const midnight = new Date(Date.UTC(2000, 0, 1) + dayNumber * 86_400_000 - 7 * 3_600_000);
        const text = formatDeadline(midnight)!;
        expect(text.startsWith('24:00 ')).toBe(true);
        const dayBefore = formatDateTime(new Date(midnight.getTime() - 60_000))!;
        expect(text.slice(6)).toBe(dayBefore.slice(6));
      }),
    );
  });
});

describe('formatDay', () => {
  it('when given an ISO date, then writes dd/mm/yyyy; other text is kept', () => {
    expect(formatDay('2026-11-20')).toBe('20/11/2026');
    expect(formatDay('không rõ')).toBe('không rõ');
  });
});

describe('formatRemaining', () => {
  it('when less than an hour is left, then shows minutes instead of "0 giờ"', () => {
    expect(formatRemaining(45 * 60_000 + 59_000)).toEqual({ text: 'Còn 45 phút', overdue: false });
    expect(formatRemaining(30_000)).toEqual({ text: 'Còn 0 phút', overdue: false });
  });
  it('when hours and days are left, then shows each unit that is not zero', () => {
    expect(formatRemaining((2 * 60 + 15) * 60_000).text).toBe('Còn 2 giờ 15 phút');
    expect(formatRemaining(3 * 60 * 60_000).text).toBe('Còn 3 giờ');
    expect(formatRemaining((26 * 60 + 1) * 60_000).text).toBe('Còn 1 ngày 2 giờ 1 phút');
  });
  it('when the deadline has passed, then says how long ago', () => {
    expect(formatRemaining(-(3 * 60 + 5) * 60_000)).toEqual({ text: 'Quá hạn 3 giờ 5 phút', overdue: true });
  });
});
