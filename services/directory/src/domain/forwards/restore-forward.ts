// A restore's forward: the forward a delete ended (`previousForward`, the delete's forward_ended)
// comes back with the mailbox while it would still be accepted as a new set_forward and still
// reaches someone: not the mailbox's own address, allowed by the province's forwarding rule (Bắc
// Ninh Điều 8 khoản 5, as apply-forward-item.ts judges it), and, at an address of the directory's
// domains, held by an active mailbox, a live alias of one or an active group (an address outside
// them is taken as it is, where the rule allows it). A target that is only the transition alias of
// a mailbox that changed address meanwhile is followed to that mailbox's address, as a live
// forward would have been (retarget-forwards.ts). Otherwise the mailbox comes back without it and
// why is named in the item's result, like an alias that could not come back.
import { findPolicy, judgeForwardingTarget } from '@hopthu/naming';
import { addressStanding } from '../../db/forward-repository.ts';
import type { Db } from '../deps.ts';

export type RestoredForward =
  | { ok: true; forwardTo: string }
  | { ok: false; forwardTo: string; reason: { vi: string; en: string } };

const notBack = (forwardTo: string, vi: string, en: string): RestoredForward => ({
  ok: false,
  forwardTo,
  reason: {
    vi: `Chuyển tiếp thư tới ${forwardTo} không được khôi phục: ${vi}`,
    en: `The forward to ${forwardTo} was not brought back: ${en}`,
  },
});

export async function judgeRestoredForward(
  db: Db,
  mailbox: { address: string; province: string },
  previous: string,
  at: Date,
): Promise<RestoredForward> {
  const forwardTo = previous.trim().toLowerCase();
  const { standing, movedTo } = await addressStanding(db, forwardTo, at);
  if (standing === 'inactive') {
    return notBack(
      forwardTo,
      'địa chỉ này không còn là hộp thư, bí danh hay nhóm đang hoạt động',
      'the address is no longer an active mailbox, alias or group',
    );
  }
  // the target changed address meanwhile: the forward follows it, as a live one would have
  const target = movedTo ?? forwardTo;
  if (target === mailbox.address.toLowerCase()) {
    return notBack(forwardTo, 'đó là chính địa chỉ của hộp thư', "it is the mailbox's own address");
  }
  const policy = findPolicy(mailbox.province);
  const verdict = policy ? judgeForwardingTarget(policy, target) : { allowed: true as const };
  if (!verdict.allowed) return notBack(forwardTo, verdict.message.vi, verdict.message.en);
  return { ok: true, forwardTo: target };
}
