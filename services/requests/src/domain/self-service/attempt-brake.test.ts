import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brakeRetryAfter } from './attempt-brake.ts';

const limits = { maxPerAddress: 5, maxPerClient: 20, windowSeconds: 900 };
const now = new Date('2026-12-03T08:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);
const none = { count: 0, oldest: null };

describe('the self-service attempt brake', () => {
  it('when an address has fewer failures than the limit, then the attempt goes through', () => {
    expect(brakeRetryAfter(limits, { address: { count: 4, oldest: ago(60) }, client: none }, now)).toBe(0);
  });

  it('when an address reached the limit, then it waits until its oldest failure leaves the window', () => {
    expect(brakeRetryAfter(limits, { address: { count: 5, oldest: ago(60) }, client: none }, now)).toBe(840);
  });

  it('when one client address reached its limit across addresses, then it waits too', () => {
    expect(brakeRetryAfter(limits, { address: none, client: { count: 20, oldest: ago(899.5) } }, now)).toBe(
      1,
    );
  });

  it('the wait is never negative and is positive exactly when a limit is reached', () => {
    fc.assert(
      fc.property(fc.nat(30), fc.nat(30), fc.integer({ min: 0, max: 899 }), (a, c, age) => {
        const wait = brakeRetryAfter(
          limits,
          { address: { count: a, oldest: ago(age) }, client: { count: c, oldest: ago(age) } },
          now,
        );
        expect(wait >= 0).toBe(true);
        expect(wait > 0).toBe(a >= limits.maxPerAddress || c >= limits.maxPerClient);
        expect(wait).toBeLessThanOrEqual(limits.windowSeconds);
      }),
    );
  });
});
