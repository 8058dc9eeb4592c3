// An item names a mailbox by address; the acting agency may touch only its own mailboxes and those
// of its sub-units.
import type { ItemApproved } from '@hopthu/shared/events';
import { findAgencyLineage } from '../../db/agency-repository.ts';
import { findLiveMailboxByAddress, type Mailbox } from '../../db/mailbox-repository.ts';
import type { Db } from '../deps.ts';

export type OwnedMailbox = { ok: true; mailbox: Mailbox } | { ok: false; reason: { vi: string; en: string } };

export async function findOwnedMailbox(db: Db, item: ItemApproved): Promise<OwnedMailbox> {
  if (!item.address) {
    return { ok: false, reason: { vi: 'Thiếu địa chỉ hộp thư', en: 'The item has no mailbox address' } };
  }
  const mailbox = await findLiveMailboxByAddress(db, item.address);
  if (!mailbox) {
    return {
      ok: false,
      reason: {
        vi: `Không có hộp thư ${item.address} trong danh bạ`,
        en: `No mailbox ${item.address} in the directory`,
      },
    };
  }
  const lineage = await findAgencyLineage(db, mailbox.agencyId);
  if (!lineage.some((agency) => agency.id === item.agencyId)) {
    return {
      ok: false,
      reason: {
        vi: `Hộp thư ${mailbox.address} không thuộc cơ quan gửi yêu cầu hoặc đơn vị trực thuộc`,
        en: `The mailbox ${mailbox.address} does not belong to the requesting agency or its sub-units`,
      },
    };
  }
  return { ok: true, mailbox };
}
