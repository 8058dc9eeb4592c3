// @hopthu/calendar: Vietnam's working-day calendar for state bodies, and the deadline rule.
// Pure: no clock, no I/O; local dates are `YYYY-MM-DD` strings in Asia/Ho_Chi_Minh (UTC+7).
// A deadline of N working days ends at 24:00 of the N-th working day after the day of receipt;
// `dueAt` is that instant, printed as 00:00 of the following day: `2026-11-26T00:00:00+07:00`
// is 24:00 of 25/11/2026. See docs/calendar.md.
export {
  addWorkingDays,
  type Calendar,
  type CreateCalendarOptions,
  createCalendar,
  type DayInfo,
  type DayReason,
  defaultCalendar,
  isWorkingDay,
  NOTICE_KINDS,
  type Notice,
  type NoticeKind,
  OFFICIAL_NOTICES,
  parseNotices,
  type YearStatus,
  workingDaysBetween,
  yearStatus,
} from './calendar.ts';
export { computeDeadline, type Deadline } from './deadline.ts';
export {
  type ComputedDayOff,
  computedDaysOff,
  FIRST_SUPPORTED_YEAR,
  LAST_SUPPORTED_YEAR,
  LUNAR_TABLE_FIRST_YEAR,
  LUNAR_TABLE_LAST_YEAR,
  type LunarYear,
  lunarYear,
  OCCASIONS,
  type Occasion,
} from './holidays.ts';
export {
  addDays,
  dayOfWeek,
  endOfLocalDay,
  formatVnIso,
  isLocalDate,
  isWeekend,
  type LocalDate,
  parseInstant,
  startOfLocalDay,
  toLocalDate,
  VN_UTC_OFFSET,
} from './local-date.ts';
