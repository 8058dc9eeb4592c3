// When a request's deadline warns and breaches: pure time arithmetic, no I/O.
//
// dueAt comes from the requests service (@hopthu/calendar): "24:00 of the last working day" is
// written as 00:00+07:00 of the next day, so the due day is the local date of dueAt minus one
// instant. Asia/Ho_Chi_Minh has had a fixed +07:00 offset since 1975 (no DST).
import type { TimerKind } from '../../db/schema.ts';

export interface TimerPlan {
  kind: TimerKind;
  fireAt: Date;
}

const VN_OFFSET_MS = 7 * 3600_000;
export const MORNING_HOUR = 8;

/** 08:00 Asia/Ho_Chi_Minh on the last day the request may still be handled. */
export function dueDayMorning(dueAt: Date): Date {
  const localDate = new Date(dueAt.getTime() - 1 + VN_OFFSET_MS).toISOString().slice(0, 10);
  return new Date(`${localDate}T0${MORNING_HOUR}:00:00+07:00`);
}

/**
 * The timers of one deadline: half the time gone, the morning of the due day, and the breach.
 * A warning that would fire before receipt or not before the breach is dropped.
 */
export function planDeadlineTimers(receivedAt: Date, dueAt: Date): TimerPlan[] {
  const r = receivedAt.getTime();
  const d = dueAt.getTime();
  const plans: TimerPlan[] = [];
  if (d > r) plans.push({ kind: 'half_time', fireAt: new Date(r + Math.floor((d - r) / 2)) });
  const morning = dueDayMorning(dueAt);
  if (morning.getTime() > r && morning.getTime() < d)
    plans.push({ kind: 'due_day_morning', fireAt: morning });
  plans.push({ kind: 'breach', fireAt: dueAt });
  return plans;
}
