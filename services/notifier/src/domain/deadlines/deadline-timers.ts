// When a request's deadline warns and breaches: pure time arithmetic, no I/O.
//
// dueAt comes from the requests service (@hopthu/calendar): "24:00 of the last working day" is
// written as 00:00+07:00 of the next day, so the due day is the local date of dueAt minus one
// instant. Asia/Ho_Chi_Minh has had a fixed +07:00 offset since 1975 (no DST).
import { isWorkingDay } from '@hopthu/calendar';
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

/** Operators read warnings in office hours: 08:00 to 17:00 on working days, Hanoi time. */
export const WORK_START_HOUR = 8;
export const WORK_END_HOUR = 17;
/** Where a warning that falls outside office hours moves: the last office hour before it. */
const LAST_WORKING_HOUR = WORK_END_HOUR - 1;

const localDateOf = (t: number) => new Date(t + VN_OFFSET_MS).toISOString().slice(0, 10);
const localHourOf = (t: number) => new Date(t + VN_OFFSET_MS).getUTCHours();
const atLocal = (date: string, hour: number) =>
  new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+07:00`).getTime();

function workingDay(date: string): boolean {
  try {
    return isWorkingDay(date as Parameters<typeof isWorkingDay>[0]);
  } catch {
    // A year the calendar does not cover: weekends are still off.
    const day = new Date(`${date}T00:00:00Z`).getUTCDay();
    return day !== 0 && day !== 6;
  }
}

function inOfficeHours(t: number): boolean {
  const hour = localHourOf(t);
  return workingDay(localDateOf(t)) && hour >= WORK_START_HOUR && hour < WORK_END_HOUR;
}

/** The last office hour at or before `t` (16:00 of the latest working day, or `t` itself). */
function lastOfficeHourBefore(t: number): number {
  if (inOfficeHours(t)) return t;
  let date = localDateOf(t);
  if (!(workingDay(date) && localHourOf(t) >= WORK_END_HOUR)) {
    for (let i = 0; i < 60; i++) {
      date = localDateOf(atLocal(date, 12) - 86_400_000);
      if (workingDay(date)) break;
    }
  }
  return atLocal(date, LAST_WORKING_HOUR);
}

/** The first office hour at or after `t` (08:00 of the next working day, or `t` itself). */
function firstOfficeHourAfter(t: number): number {
  if (inOfficeHours(t)) return t;
  let date = localDateOf(t);
  if (!(workingDay(date) && localHourOf(t) < WORK_START_HOUR)) {
    for (let i = 0; i < 60; i++) {
      date = localDateOf(atLocal(date, 12) + 86_400_000);
      if (workingDay(date)) break;
    }
  }
  return atLocal(date, WORK_START_HOUR);
}

/**
 * A warning meant for `t` as operators can act on it: in office hours unchanged; otherwise the
 * last office hour before (a Saturday evening warning comes on Friday afternoon), or, when that
 * is before the request arrived, the first office hour after. Undefined when no office hour
 * lies between receipt and `latest`.
 */
export function intoOfficeHours(t: number, receivedAt: number, latest: number): number | undefined {
  const before = lastOfficeHourBefore(t);
  if (before > receivedAt) return before;
  const after = firstOfficeHourAfter(t);
  return after > receivedAt && after < latest ? after : undefined;
}

/**
 * The timers of one deadline: half the time gone, the morning of the due day, and the breach.
 * The half-time warning moves into office hours; a warning that would fire before receipt or not
 * before the breach (or, for half time, not before the due-day morning) is dropped.
 */
export function planDeadlineTimers(receivedAt: Date, dueAt: Date): TimerPlan[] {
  const r = receivedAt.getTime();
  const d = dueAt.getTime();
  const plans: TimerPlan[] = [];
  const morning = dueDayMorning(dueAt);
  const morningPlanned = morning.getTime() > r && morning.getTime() < d;
  if (d > r) {
    const half = intoOfficeHours(r + Math.floor((d - r) / 2), r, morningPlanned ? morning.getTime() : d);
    if (half !== undefined) plans.push({ kind: 'half_time', fireAt: new Date(half) });
  }
  if (morningPlanned) plans.push({ kind: 'due_day_morning', fireAt: morning });
  plans.push({ kind: 'breach', fireAt: dueAt });
  return plans;
}
