// The purge day of a deleted mailbox's mail, pure: the mail sits in retention under the UTC day of
// the delete and is kept its province's `retention.deletedMailDays` full days (by the address's
// domain, primary or alias), removed on `deletedOn + days + 1`. The provisioner purges by it; the
// directory and the requests service give a deleted mailbox back only before it.
import { findPolicyByDomain } from './policies/registry.ts';

const DAY_MS = 86_400_000;

/** Days deleted mail is kept for a domain of no province (the provisioner's VMAIL_RETENTION_DAYS default). */
export const DEFAULT_DELETED_MAIL_DAYS = 90;

/** The UTC day of an instant, `yyyy-mm-dd` (the name of a retention day folder). */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** True for a real calendar day written `yyyy-mm-dd` (2026-02-30 is not one). */
export function isRetentionDay(name: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(name)) return false;
  const at = Date.parse(`${name}T00:00:00Z`);
  return !Number.isNaN(at) && utcDay(new Date(at)) === name;
}

/** `day` (`yyyy-mm-dd`) moved by `n` days (negative: earlier). */
export function addDays(day: string, n: number): string {
  if (!isRetentionDay(day)) throw new Error(`not a day: ${day}`);
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/** The first day on which mail deleted on `deletedOn` may be removed. */
export function purgeDayFor(deletedOn: string, retentionDays: number): string {
  return addDays(deletedOn, retentionDays + 1);
}

/** Full days the mail of a deleted mailbox at `address` is kept: its province's, else `fallback`. */
export function deletedMailDaysFor(address: string, fallback = DEFAULT_DELETED_MAIL_DAYS): number {
  return findPolicyByDomain(address.split('@')[1] ?? '')?.retention.deletedMailDays ?? fallback;
}

export interface DeletedMailWindow {
  /** The UTC day of the delete. */
  deletedOn: string;
  /** The day its mail is removed for good; a restore must come before it. */
  purgeOn: string;
  /** Whether the mail is still held at `now` (today is before the purge day). */
  held: boolean;
}

/** Until when a mailbox at `address` deleted at `deletedAt` can be given back with its mail. */
export function deletedMailWindow(
  address: string,
  deletedAt: Date,
  now: Date,
  fallbackDays = DEFAULT_DELETED_MAIL_DAYS,
): DeletedMailWindow {
  const deletedOn = utcDay(deletedAt);
  const purgeOn = purgeDayFor(deletedOn, deletedMailDaysFor(address, fallbackDays));
  return { deletedOn, purgeOn, held: utcDay(now) < purgeOn };
}
