import { describe, expect, it } from 'vitest';
import {
  csrfTokenMatches,
  hashSessionToken,
  isSessionExpired,
  newCsrfToken,
  newSessionToken,
  sessionExpiresAt,
  shouldTouch,
} from './session-policy.ts';

const limits = { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 };
const login = new Date('2026-11-24T08:00:00+07:00');
const at = (minutes: number) => new Date(login.getTime() + minutes * 60_000);

describe('session expiry', () => {
  const session = (lastSeenMinutes: number) => ({
    lastSeenAt: at(lastSeenMinutes),
    expiresAt: sessionExpiresAt(login, limits),
  });

  it('when the operator was active a moment ago, then the session holds', () => {
    expect(isSessionExpired(session(0), at(29), limits)).toBe(false);
  });

  it('when the session has been idle for the idle limit, then it has ended', () => {
    expect(isSessionExpired(session(0), at(30), limits)).toBe(true);
    expect(isSessionExpired(session(100), at(131), limits)).toBe(true);
  });

  it('when the operator stays active past the absolute end, then it ends anyway', () => {
    expect(isSessionExpired(session(12 * 60 - 1), at(12 * 60 - 1), limits)).toBe(false);
    expect(isSessionExpired(session(12 * 60 - 1), at(12 * 60), limits)).toBe(true);
  });

  it('when less than a minute has passed since the last touch, then the session row is not rewritten', () => {
    expect(shouldTouch(session(0), at(0.5))).toBe(false);
    expect(shouldTouch(session(0), at(1))).toBe(true);
  });
});

describe('tokens', () => {
  it('when tokens are made, then each is new, 256 bits, and only its hash is stored', () => {
    const a = newSessionToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSessionToken()).not.toBe(a);
    expect(hashSessionToken(a)).not.toContain(a);
    expect(hashSessionToken(a)).toBe(hashSessionToken(a));
  });
});

describe('CSRF check', () => {
  const token = newCsrfToken();
  it('when the form carries the session token, then it passes', () => {
    expect(csrfTokenMatches(token, token)).toBe(true);
  });
  it('when the form carries nothing, another token, a prefix or a non-string, then it is refused', () => {
    expect(csrfTokenMatches(token, undefined)).toBe(false);
    expect(csrfTokenMatches(token, '')).toBe(false);
    expect(csrfTokenMatches(token, newCsrfToken())).toBe(false);
    expect(csrfTokenMatches(token, token.slice(0, 10))).toBe(false);
    expect(csrfTokenMatches(token, [token])).toBe(false);
  });
});
