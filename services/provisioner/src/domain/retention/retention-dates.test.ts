import { describe, expect, it } from 'vitest';
import { retentionPathFor } from '../commands/mail-address.ts';
import {
  addDays,
  isDue,
  isRetentionDay,
  parseRetainedName,
  purgeCutoff,
  purgeDayFor,
  utcDay,
} from './retention-dates.ts';

describe('retention dates', () => {
  it('when a name is a real yyyy-mm-dd day, then it is a retention day; anything else is not', () => {
    expect(isRetentionDay('2026-02-28')).toBe(true);
    expect(isRetentionDay('2028-02-29')).toBe(true);
    for (const name of ['2026-02-30', '2026-13-01', '2026-2-1', '20260201', 'tmp', '2026-02-28x', '']) {
      expect(isRetentionDay(name), name).toBe(false);
    }
  });

  it('when days are added, then months, leap years and years roll over', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(() => addDays('nope', 1)).toThrow();
  });

  it('when mail is deleted, then it is kept the full period and due the day after it ends', () => {
    expect(purgeDayFor('2026-01-01', 90)).toBe('2026-04-02');
    const deletedOn = '2026-01-01';
    expect(isDue(deletedOn, 90, new Date('2026-04-01T23:59:59Z'))).toBe(false);
    expect(isDue(deletedOn, 90, new Date('2026-04-02T00:00:00Z'))).toBe(true);
    expect(purgeCutoff(new Date('2026-04-02T10:00:00Z'), 90)).toBe('2026-01-02');
  });

  it('when the period is 0 days, then only mail deleted before today is due', () => {
    const now = new Date('2026-05-10T08:00:00Z');
    expect(isDue('2026-05-10', 0, now)).toBe(false);
    expect(isDue('2026-05-09', 0, now)).toBe(true);
  });

  it('when the day folder is named, then it is the UTC day of the deletion (before 07:00 in Vietnam: the day before)', () => {
    expect(utcDay(new Date('2026-03-05T23:30:00+07:00'))).toBe('2026-03-05');
    expect(utcDay(new Date('2026-03-06T06:30:00+07:00'))).toBe('2026-03-05');
  });

  it('when a retained maildir is named, then its address and generation read back', () => {
    const p = retentionPathFor('/r', 'a.b@x.gov.vn', 12, new Date('2026-03-05T10:00:00Z'));
    const [day, name] = p.split('/').slice(-2);
    expect(day).toBe('2026-03-05');
    expect(parseRetainedName(name ?? '')).toEqual({ address: 'a.b@x.gov.vn', generation: 12 });
    expect(parseRetainedName('a-g2')).toBeNull();
    expect(parseRetainedName('a@x.gov.vn')).toBeNull();
    expect(parseRetainedName('a@x.gov.vn-gx')).toBeNull();
  });
});
