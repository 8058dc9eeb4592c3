import { isWorkingDay } from '@hopthu/calendar';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueDayMorning, intoOfficeHours, planDeadlineTimers } from './deadline-timers.ts';

describe('planDeadlineTimers', () => {
  it('when a request is received on Friday and due at 24:00 Tuesday, then half time (Sunday afternoon) warns on Friday at 16:00, then Tuesday 08:00, and the breach at 24:00', () => {
    const receivedAt = new Date('2026-11-20T09:00:00+07:00'); // Friday
    const dueAt = new Date('2026-11-25T00:00:00+07:00'); // 24:00 Tuesday 24/11
    const plans = planDeadlineTimers(receivedAt, dueAt);
    expect(plans).toEqual([
      { kind: 'half_time', fireAt: new Date('2026-11-20T16:00:00+07:00') },
      { kind: 'due_day_morning', fireAt: new Date('2026-11-24T08:00:00+07:00') },
      { kind: 'breach', fireAt: dueAt },
    ]);
  });

  it('when dueAt is not at midnight, then the morning is the same local day', () => {
    expect(dueDayMorning(new Date('2026-11-24T10:00:00Z'))).toEqual(new Date('2026-11-24T08:00:00+07:00'));
  });

  it('when dueAt is 00:00 UTC (07:00 local), then the morning warning would come after the breach and is dropped', () => {
    const plans = planDeadlineTimers(new Date('2026-11-20T00:00:00Z'), new Date('2026-11-24T00:00:00Z'));
    expect(plans.map((p) => p.kind)).toEqual(['half_time', 'breach']);
  });

  it('when the morning is before receipt, then only half time and breach remain', () => {
    const plans = planDeadlineTimers(
      new Date('2026-11-24T09:00:00+07:00'),
      new Date('2026-11-25T00:00:00+07:00'),
    );
    expect(plans.map((p) => p.kind)).toEqual(['half_time', 'breach']);
  });

  it('when dueAt is not after receipt, then only the breach is planned', () => {
    const t = new Date('2026-11-24T09:00:00+07:00');
    expect(planDeadlineTimers(t, t)).toEqual([{ kind: 'breach', fireAt: t }]);
  });
});

describe('intoOfficeHours', () => {
  const t = (s: string) => new Date(s).getTime();
  const far = t('2027-06-01T00:00:00+07:00');
  it('when a warning falls on a Saturday evening, then it moves to the last office hour of Friday', () => {
    expect(intoOfficeHours(t('2026-11-21T19:30:00+07:00'), t('2026-11-19T10:00:00+07:00'), far)).toBe(
      t('2026-11-20T16:00:00+07:00'),
    );
  });
  it('when a warning falls on a weekday evening or before 08:00, then it moves to 16:00 of the last working day', () => {
    expect(intoOfficeHours(t('2026-11-24T19:00:00+07:00'), t('2026-11-23T10:00:00+07:00'), far)).toBe(
      t('2026-11-24T16:00:00+07:00'),
    );
    expect(intoOfficeHours(t('2026-11-24T06:00:00+07:00'), t('2026-11-20T10:00:00+07:00'), far)).toBe(
      t('2026-11-23T16:00:00+07:00'),
    );
  });
  it('when a warning falls on a public holiday, then it moves to the working day before (New Year 2027)', () => {
    expect(intoOfficeHours(t('2027-01-01T10:00:00+07:00'), t('2026-12-29T10:00:00+07:00'), far)).toBe(
      t('2026-12-31T16:00:00+07:00'),
    );
  });
  it('when the office hour before is before receipt, then the first office hour after is taken', () => {
    expect(intoOfficeHours(t('2026-11-22T21:00:00+07:00'), t('2026-11-20T18:00:00+07:00'), far)).toBe(
      t('2026-11-23T08:00:00+07:00'),
    );
  });
  it('when no office hour lies between receipt and the limit, then there is none', () => {
    expect(
      intoOfficeHours(
        t('2026-11-22T21:00:00+07:00'),
        t('2026-11-20T18:00:00+07:00'),
        t('2026-11-23T08:00:00+07:00'),
      ),
    ).toBeUndefined();
  });
  it('in office hours a warning is kept where it is', () => {
    expect(intoOfficeHours(t('2026-11-24T10:15:00+07:00'), t('2026-11-23T10:00:00+07:00'), far)).toBe(
      t('2026-11-24T10:15:00+07:00'),
    );
  });
  it('a planned half-time warning is always in office hours, after receipt and before the due-day morning', () => {
    const start = t('2026-01-05T00:00:00+07:00');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 * 24 * 60 }),
        fc.integer({ min: 1, max: 6 }),
        (minute, days) => {
          const receivedAt = new Date(start + minute * 60_000);
          const dueAt = new Date(receivedAt.getTime() + days * 86_400_000);
          const plans = planDeadlineTimers(receivedAt, dueAt);
          const half = plans.find((p) => p.kind === 'half_time');
          if (!half) return;
          const local = new Date(half.fireAt.getTime() + 7 * 3_600_000);
          expect(isWorkingDay(local.toISOString().slice(0, 10) as Parameters<typeof isWorkingDay>[0])).toBe(
            true,
          );
          expect(local.getUTCHours()).toBeGreaterThanOrEqual(8);
          expect(local.getUTCHours()).toBeLessThan(17);
          expect(half.fireAt.getTime()).toBeGreaterThan(receivedAt.getTime());
          expect(half.fireAt.getTime()).toBeLessThan(dueAt.getTime());
        },
      ),
    );
  });
});
