// What an approved reclaim does, by the province's rule (regulations §6): Đắk Nông Điều 7 khoản 3
// "thu hồi và hủy bỏ" deletes; Kiên Giang Điều 5 khoản 4 lets the holder have the mailbox reissued
// ("cấp lại", on the Chánh Văn phòng's request), so it is locked — address and mail kept — until
// the policy's retention.retiredAddressDays have passed, and a restore before then gives the same
// address back.
import type { ProvincePolicy } from '@hopthu/naming';

export type ReclaimOutcome =
  | { kind: 'delete' }
  | { kind: 'keep'; until: Date; article: string; days: number };

const DAY_MS = 24 * 3600 * 1000;

export function reclaimOutcome(
  policy: Pick<ProvincePolicy, 'inactivity' | 'retention'>,
  at: Date,
): ReclaimOutcome {
  const reissue = policy.inactivity?.reissue;
  if (!reissue) return { kind: 'delete' };
  const days = policy.retention.retiredAddressDays;
  return { kind: 'keep', until: new Date(at.getTime() + days * DAY_MS), article: reissue.article, days };
}

/** Whether a kept reclaimed mailbox is due for deletion at `now` (its time for a reissue is over). */
export function isReclaimExpired(reclaimedUntil: Date | null, now: Date): boolean {
  return reclaimedUntil !== null && reclaimedUntil.getTime() <= now.getTime();
}
