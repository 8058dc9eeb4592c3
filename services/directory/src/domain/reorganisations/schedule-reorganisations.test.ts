import { describe, expect, it } from 'vitest';
import { effectiveInstant, isDue } from './schedule-reorganisations.ts';

describe('when a scheduled reorganisation is due', () => {
  it('takes effect at 00:00 of its date in Vietnam (17:00 UTC the day before)', () => {
    expect(effectiveInstant('2025-07-01').toISOString()).toBe('2025-06-30T17:00:00.000Z');
  });

  it('is not due a moment before that instant, and due from it on', () => {
    expect(isDue('2025-07-01', new Date('2025-06-30T16:59:59.999Z'))).toBe(false);
    expect(isDue('2025-07-01', new Date('2025-06-30T17:00:00.000Z'))).toBe(true);
    expect(isDue('2025-07-01', new Date('2026-01-01T00:00:00Z'))).toBe(true);
  });

  it('counts the date on the Vietnamese calendar, not the UTC one', () => {
    // 23:30 UTC on 30 June is already 06:30 on 1 July in Hà Nội
    expect(isDue('2025-07-01', new Date('2025-06-30T23:30:00Z'))).toBe(true);
    // 16:00 UTC on 1 July is 23:00 on 1 July: the 2 July plan waits
    expect(isDue('2025-07-02', new Date('2025-07-01T16:00:00Z'))).toBe(false);
  });
});
