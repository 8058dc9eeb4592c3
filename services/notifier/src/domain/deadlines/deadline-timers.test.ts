import { describe, expect, it } from 'vitest';
import { dueDayMorning, planDeadlineTimers } from './deadline-timers.ts';

describe('planDeadlineTimers', () => {
  it('when a request is received on Friday and due at 24:00 Tuesday, then it warns at half time, Tuesday 08:00, and breaches at 24:00', () => {
    const receivedAt = new Date('2026-11-20T09:00:00+07:00'); // Friday
    const dueAt = new Date('2026-11-25T00:00:00+07:00'); // 24:00 Tuesday 24/11
    const plans = planDeadlineTimers(receivedAt, dueAt);
    expect(plans).toEqual([
      { kind: 'half_time', fireAt: new Date('2026-11-22T16:30:00+07:00') },
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
