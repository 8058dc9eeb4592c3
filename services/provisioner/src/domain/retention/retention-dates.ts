// The retention calendar, pure: a deleted mailbox's mail sits in a day folder named after the UTC
// day it was deleted (`yyyy-mm-dd`, see retentionPathFor) and is kept for at least the configured
// number of full days. It is due for removal on `purgeOn = deletedOn + days + 1`, i.e. when
// everything deleted before `today - days` may go.

const DAY_MS = 86_400_000;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC day of an instant, `yyyy-mm-dd` (the name of a retention day folder). */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** True for a real calendar day written `yyyy-mm-dd` (2026-02-30 is not one). */
export function isRetentionDay(name: string): boolean {
  const m = DAY_RE.exec(name);
  if (!m) return false;
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return !Number.isNaN(at.getTime()) && utcDay(at) === name;
}

/** `day` moved by `n` days (negative: earlier). */
export function addDays(day: string, n: number): string {
  if (!isRetentionDay(day)) throw new Error(`not a day: ${day}`);
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/** The first day on which mail deleted on `deletedOn` may be removed. */
export function purgeDayFor(deletedOn: string, retentionDays: number): string {
  return addDays(deletedOn, retentionDays + 1);
}

/**
 * Mail deleted on a day before this one has been kept for its full period at `now`: the purge
 * removes the day folders older than it, never this day or later.
 */
export function purgeCutoff(now: Date, retentionDays: number): string {
  return addDays(utcDay(now), -retentionDays);
}

/** Whether mail deleted on `deletedOn` is due for removal at `now`. */
export function isDue(deletedOn: string, retentionDays: number, now: Date): boolean {
  return deletedOn < purgeCutoff(now, retentionDays);
}

/** `<address>-g<generation>`, the name of one retained maildir; null for anything else. */
export function parseRetainedName(name: string): { address: string; generation: number } | null {
  const m = /^(.+@.+)-g(\d{1,15})$/.exec(name);
  if (!m?.[1] || !m[2]) return null;
  return { address: m[1], generation: Number(m[2]) };
}
