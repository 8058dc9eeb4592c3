import { isAppError } from '@hopthu/shared/errors';
import { describe, expect, it } from 'vitest';
import { checkAbsenceUntil, isHeldByAbsence, MAX_ABSENCE_DAYS } from './absence.ts';

const now = new Date('2026-12-03T02:00:00Z');

function refusal(until: string) {
  try {
    checkAbsenceUntil(until, now);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error(`${until} accepted`);
}

describe('a known absence', () => {
  it('a date is the end of that day in Vietnam', () => {
    expect(checkAbsenceUntil('2027-06-30', now).toISOString()).toBe('2027-06-30T16:59:59.000Z');
  });

  it('holds the rule back until it ends, not after', () => {
    const until = new Date('2027-01-01T00:00:00Z');
    expect(isHeldByAbsence(until, new Date(until.getTime() - 1))).toBe(true);
    expect(isHeldByAbsence(until, until)).toBe(false);
    expect(isHeldByAbsence(null, now)).toBe(false);
  });

  it.each(['2026-12-02', 'yesterday', '2026-13-45', `${now.getUTCFullYear() + 4}-01-01`])(
    '%s is refused naming /until in both languages',
    (until) => {
      const error = refusal(until);
      expect(error.status).toBe(400);
      expect(error.errors[0]?.field).toBe('/until');
      expect(error.text.vi).not.toBe('');
      expect(error.text.en).not.toBe('');
    },
  );

  it(`at most ${MAX_ABSENCE_DAYS} days ahead`, () => {
    expect(() =>
      checkAbsenceUntil(new Date(now.getTime() + (MAX_ABSENCE_DAYS - 1) * 86_400_000).toISOString(), now),
    ).not.toThrow();
  });
});
