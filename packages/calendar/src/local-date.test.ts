import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayOfWeek,
  endOfLocalDay,
  formatVnIso,
  isLocalDate,
  parseInstant,
  startOfLocalDay,
  toDayNumber,
  toLocalDate,
} from './local-date.ts';

describe('local dates in Vietnam (UTC+7)', () => {
  it('when an instant is after 17:00Z, then it is already the next day in Vietnam', () => {
    expect(toLocalDate(new Date('2026-11-19T16:59:59.999Z'))).toBe('2026-11-19');
    expect(toLocalDate(new Date('2026-11-19T17:00:00.000Z'))).toBe('2026-11-20');
  });

  it('gives the weekday of a date without the host time zone', () => {
    expect(dayOfWeek('1970-01-01')).toBe(4);
    expect(dayOfWeek('2026-02-17')).toBe(2);
    expect(dayOfWeek('2025-01-29')).toBe(3);
    expect(dayOfWeek('1969-12-31')).toBe(3);
  });

  it('adds days across months, leap days and years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(toDayNumber('1970-01-02')).toBe(1);
  });

  it('refuses dates that do not exist', () => {
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-01', '20260101', '', 'x', '2026-04-31']) {
      expect(isLocalDate(bad)).toBe(false);
    }
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(() => toDayNumber('2026-02-30')).toThrow(RangeError);
  });

  it('formats instants with +07:00, milliseconds only when present', () => {
    expect(formatVnIso(new Date('2026-11-25T17:00:00Z'))).toBe('2026-11-26T00:00:00+07:00');
    expect(formatVnIso(new Date('2026-11-25T02:15:30.250Z'))).toBe('2026-11-25T09:15:30.250+07:00');
    expect(() => formatVnIso(new Date('nope'))).toThrow(RangeError);
  });

  it('puts 24:00 of a day at 00:00 of the next day', () => {
    expect(startOfLocalDay('2026-11-25').toISOString()).toBe('2026-11-24T17:00:00.000Z');
    expect(endOfLocalDay('2026-11-25').toISOString()).toBe('2026-11-25T17:00:00.000Z');
  });

  it('parses ISO-8601 instants that carry an offset', () => {
    expect(parseInstant('2026-11-20T16:30:00+07:00').toISOString()).toBe('2026-11-20T09:30:00.000Z');
    expect(parseInstant('2026-11-20T09:30Z').toISOString()).toBe('2026-11-20T09:30:00.000Z');
    expect(parseInstant('2026-11-20T04:30:00.5-05:00').toISOString()).toBe('2026-11-20T09:30:00.500Z');
    expect(parseInstant('2026-11-20T16:30:00+0700').toISOString()).toBe('2026-11-20T09:30:00.000Z');
  });

  it('when an instant has no offset or is not real, then parsing fails instead of guessing', () => {
    for (const bad of [
      '2026-11-20T16:30:00',
      '2026-11-20',
      '2026-02-30T10:00:00Z',
      '2026-11-20T24:00:00Z',
      '2026-11-20T10:60:00Z',
      '2026-11-20T10:00:00+25:00',
      'yesterday',
    ]) {
      expect(() => parseInstant(bad), bad).toThrow(RangeError);
    }
  });

  it('property: a day starts and ends in itself, 24 hours apart, and formatting round-trips', () => {
    const instant = fc.date({
      min: new Date('1990-01-01T00:00:00Z'),
      max: new Date('2070-01-01T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instant, (at) => {
        const day = toLocalDate(at);
        expect(toLocalDate(startOfLocalDay(day))).toBe(day);
        expect(endOfLocalDay(day).getTime() - startOfLocalDay(day).getTime()).toBe(86_400_000);
        expect(startOfLocalDay(day).getTime()).toBeLessThanOrEqual(at.getTime());
        expect(endOfLocalDay(day).getTime()).toBeGreaterThan(at.getTime());
        expect(parseInstant(formatVnIso(at)).getTime()).toBe(at.getTime());
      }),
    );
  });
});
