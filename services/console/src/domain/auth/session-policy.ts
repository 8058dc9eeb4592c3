// Session tokens and their lifetime rules, pure: a session ends when it has been idle too long or
// has lived past its absolute end, whichever comes first.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SessionTimes {
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface SessionLimits {
  idleMs: number;
  maxMs: number;
}

/** A new random token (256 bits), sent to the browser only, never stored. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a token. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function sessionExpiresAt(now: Date, limits: SessionLimits): Date {
  return new Date(now.getTime() + limits.maxMs);
}

export function isSessionExpired(s: SessionTimes, now: Date, limits: SessionLimits): boolean {
  return now.getTime() >= s.expiresAt.getTime() || now.getTime() - s.lastSeenAt.getTime() >= limits.idleMs;
}

/** Writing last_seen_at on every request is wasteful; once a minute keeps idle expiry exact enough. */
export function shouldTouch(s: SessionTimes, now: Date): boolean {
  return now.getTime() - s.lastSeenAt.getTime() >= 60_000;
}

export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison of the token a form sent with the session's. */
export function csrfTokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
