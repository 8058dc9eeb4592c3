// Whether a deleted mailbox may be given back, pure: only while its mail is still in retention
// (before its province's purge day, retention.deletedMailDays: the provisioner removes it that day)
// and while nobody else holds its address; an agency mailbox only while its agency has no other.
import { deletedMailWindow } from '@hopthu/naming';

export type RestoreVerdict =
  | { ok: true; deletedOn: string; purgeOn: string }
  | { ok: false; reason: { vi: string; en: string } };

export function judgeRestoreDeleted(input: {
  address: string;
  deletedAt: Date;
  now: Date;
  /** Addresses of mailboxes, aliases or groups that hold the address now (any province domain). */
  holders: readonly string[];
  /** An agency mailbox: the agency's own mailbox now, if it has another. */
  agencyMailbox?: string | null | undefined;
}): RestoreVerdict {
  const { address } = input;
  const window = deletedMailWindow(address, input.deletedAt, input.now);
  if (!window.held) {
    return {
      ok: false,
      reason: {
        vi: `Thư của hộp thư ${address} (xóa ngày ${window.deletedOn}) đã hết thời hạn lưu trữ và bị xóa hẳn từ ngày ${window.purgeOn}; không khôi phục được`,
        en: `The mail of ${address} (deleted on ${window.deletedOn}) left retention for good on ${window.purgeOn}; it cannot be restored`,
      },
    };
  }
  if (input.holders.length > 0) {
    const who = input.holders.join(', ');
    return {
      ok: false,
      reason: {
        vi: `Địa chỉ ${address} đang được dùng (${who}); không khôi phục được hộp thư đã xóa`,
        en: `The address ${address} is in use (${who}); the deleted mailbox cannot be restored`,
      },
    };
  }
  if (input.agencyMailbox) {
    return {
      ok: false,
      reason: {
        vi: `Cơ quan đã có hộp thư cơ quan khác (${input.agencyMailbox}); không khôi phục được ${address}`,
        en: `The agency has another agency mailbox (${input.agencyMailbox}); ${address} cannot be restored`,
      },
    };
  }
  return { ok: true, deletedOn: window.deletedOn, purgeOn: window.purgeOn };
}
