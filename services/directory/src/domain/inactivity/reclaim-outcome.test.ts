import { getPolicy } from '@hopthu/naming';
import { describe, expect, it } from 'vitest';
import { isReclaimExpired, reclaimOutcome } from './reclaim-outcome.ts';

const at = new Date('2026-12-03T03:00:00Z');

describe('what an approved reclaim does', () => {
  it('Kiên Giang (Điều 5 khoản 4, reissue on request): keeps the mailbox locked for its retention of retired addresses', () => {
    const policy = getPolicy('kien-giang');
    const outcome = reclaimOutcome(policy, at);
    expect(outcome).toEqual({
      kind: 'keep',
      article: 'Điều 5 khoản 4',
      days: policy.retention.retiredAddressDays,
      until: new Date(at.getTime() + policy.retention.retiredAddressDays * 86_400_000),
    });
  });

  it('Đắk Nông (Điều 7 khoản 3, "thu hồi và hủy bỏ"): deletes', () => {
    expect(reclaimOutcome(getPolicy('dak-nong'), at)).toEqual({ kind: 'delete' });
  });

  it('follows the policy: another retention gives another date; no reissue rule deletes', () => {
    const kg = getPolicy('kien-giang');
    const shorter = { ...kg, retention: { ...kg.retention, retiredAddressDays: 30 } };
    expect(reclaimOutcome(shorter, at)).toMatchObject({
      kind: 'keep',
      until: new Date('2027-01-02T03:00:00Z'),
    });
    const { reissue: _r, ...rule } = kg.inactivity ?? { months: 6, action: 'reclaim', article: 'x' };
    expect(reclaimOutcome({ ...kg, inactivity: rule }, at)).toEqual({ kind: 'delete' });
  });

  it('a kept mailbox expires at its date, not before; one not kept never does', () => {
    const until = new Date('2027-12-03T03:00:00Z');
    expect(isReclaimExpired(until, new Date(until.getTime() - 1))).toBe(false);
    expect(isReclaimExpired(until, until)).toBe(true);
    expect(isReclaimExpired(null, until)).toBe(false);
  });
});
