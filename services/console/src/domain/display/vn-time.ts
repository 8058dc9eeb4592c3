// How the console writes dates and times for Vietnamese operators, in one place so every page
// says them the same way: "HH:MM dd/mm/yyyy" in Hanoi time, and a deadline that falls at midnight
// written as the end of the day before ("24:00 07/12/2026", hết ngày), because the regulations'
// deadline is the end of a working day and "00:00 08/12" reads as the start of the 8th.
// Vietnam keeps no daylight saving time, so Hanoi time is UTC+7 all year.
const HANOI_OFFSET_MS = 7 * 3_600_000;

interface HanoiParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

function hanoiParts(instant: Date): HanoiParts {
  const local = new Date(instant.getTime() + HANOI_OFFSET_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    millisecond: local.getUTCMilliseconds(),
  };
}

const two = (n: number) => String(n).padStart(2, '0');
const dayText = (p: { year: number; month: number; day: number }) =>
  `${two(p.day)}/${two(p.month)}/${p.year}`;

function toDate(value: string | Date): Date | undefined {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** "14:05 07/12/2026", Hanoi time; undefined for a value that is not a time. */
export function formatDateTime(value: string | Date): string | undefined {
  const d = toDate(value);
  if (!d) return undefined;
  const p = hanoiParts(d);
  return `${two(p.hour)}:${two(p.minute)} ${dayText(p)}`;
}

/**
 * A deadline as operators must read it: exactly midnight is the end of the previous day
 * ("24:00 07/12/2026"); any other instant is written as usual.
 */
export function formatDeadline(value: string | Date): string | undefined {
  const d = toDate(value);
  if (!d) return undefined;
  const p = hanoiParts(d);
  if (p.hour === 0 && p.minute === 0 && p.second === 0 && p.millisecond === 0) {
    return `24:00 ${dayText(hanoiParts(new Date(d.getTime() - 1)))}`;
  }
  return formatDateTime(d);
}

/** A calendar date given as yyyy-mm-dd (a letter's date) written dd/mm/yyyy; other text unchanged. */
export function formatDay(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : isoDate;
}

/**
 * Time left before a deadline, in words: "Còn 2 giờ 15 phút", "Còn 45 phút", "Quá hạn 3 giờ 5 phút".
 * Whole minutes, rounded down towards the deadline so "còn" never promises more than is left.
 */
export function formatRemaining(msLeft: number): { text: string; overdue: boolean } {
  const overdue = msLeft < 0;
  const minutes = Math.floor(Math.abs(msLeft) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} ngày`);
  if (hours > 0) parts.push(`${hours} giờ`);
  if (mins > 0 || parts.length === 0) parts.push(`${mins} phút`);
  return { text: `${overdue ? 'Quá hạn' : 'Còn'} ${parts.join(' ')}`, overdue };
}
