// The notifier's clock. In production it is the system clock. With NOTIFIER_TEST_CLOCK=1 it is the
// system clock shifted by an offset that a test sets (env at start, or POST /admin/clock), so a
// test can move the notifier across a deadline without sleeping.
import type { Clock } from '@hopthu/shared/clock';

export interface AdjustableClock extends Clock {
  /** Moves "now" to `d`; time keeps running from there. */
  set(d: Date): void;
  offsetMs(): number;
}

export function createOffsetClock(initialOffsetMs = 0, real: () => number = Date.now): AdjustableClock {
  let offset = initialOffsetMs;
  return {
    now: () => new Date(real() + offset),
    set: (d) => {
      offset = d.getTime() - real();
    },
    offsetMs: () => offset,
  };
}
