// The retention calendar, pure: a deleted mailbox's mail sits in a day folder named after the UTC
// day it was deleted (`yyyy-mm-dd`, see retentionPathFor) and is kept for at least the configured
// number of full days. It is due for removal on `purgeOn = deletedOn + days + 1`, i.e. when
// everything deleted before `today - days` may go.

import { addDays, isRetentionDay, purgeDayFor, utcDay } from '@hopthu/naming';

// the calendar itself is shared (@hopthu/naming's retention.ts): the directory and the requests
// service give a deleted mailbox back only before the purge day this service removes its mail on
export { addDays, isRetentionDay, purgeDayFor, utcDay };

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
