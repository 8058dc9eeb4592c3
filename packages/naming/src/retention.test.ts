import { describe, expect, it } from 'vitest';
import { addDays, deletedMailDaysFor, deletedMailWindow, purgeDayFor } from './retention.ts';
import { listPolicies } from './policies/registry.ts';

describe('deleted mail window', () => {
  it('when mail is deleted, then it can be given back until the day before its purge day', () => {
    const deletedAt = new Date('2026-01-01T10:00:00Z');
    const window = (now: string) => deletedMailWindow('a@none.example', deletedAt, new Date(now), 90);
    expect(window('2026-04-01T23:59:59Z')).toEqual({
      deletedOn: '2026-01-01',
      purgeOn: '2026-04-02',
      held: true,
    });
    expect(window('2026-04-02T00:00:00Z').held).toBe(false);
    expect(purgeDayFor('2026-01-01', 90)).toBe('2026-04-02');
  });

  it("when the address is in a province, then the province's period counts", () => {
    const policy = listPolicies()[0]!;
    const address = `x@${policy.domain}`;
    expect(deletedMailDaysFor(address, 1)).toBe(policy.retention.deletedMailDays);
    const { purgeOn } = deletedMailWindow(
      address,
      new Date('2026-03-05T23:30:00Z'),
      new Date('2026-03-06T00:00:00Z'),
    );
    expect(purgeOn).toBe(addDays('2026-03-05', policy.retention.deletedMailDays + 1));
  });

  it('when a day is not a day, then addDays refuses it', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow();
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});
