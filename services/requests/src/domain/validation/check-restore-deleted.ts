// A `restore_deleted` item gives a deleted mailbox back with its mail, before its province's purge
// day (retention.deletedMailDays, the day the provisioner removes the mail for good). Its `address`
// names the deleted mailbox; it must be in the requesting agency's subtree, no live mailbox may hold
// the address now (409), and the purge day must not have come (400, naming the day). The directory
// checks the same again when it applies the item (aliases and the province's other domains too).
import { deletedMailWindow } from '@hopthu/naming';
import { type Item, type ItemContext, type Problems, within } from './check-item.ts';

export function checkRestoreDeleted(ctx: ItemContext, item: Item, at: string, problems: Problems): void {
  const address = item.address?.toLowerCase() ?? '';
  const live = ctx.mailboxes.get(address);
  if (live) {
    problems.add(
      'conflicts',
      `${at}/address`,
      `Địa chỉ ${address} đang thuộc một hộp thư khác; không khôi phục được hộp thư đã xóa`,
      `the address ${address} is held by another mailbox; the deleted mailbox cannot be restored`,
    );
    return;
  }
  const deleted = ctx.deletedMailboxes.get(address);
  if (!deleted || !within(ctx.agencies.get(deleted.agency_id), ctx.body.agencyId)) {
    problems.add(
      'forbidden',
      `${at}/address`,
      `Không có hộp thư đã xóa ${address} thuộc cơ quan gửi yêu cầu hay đơn vị trực thuộc`,
      `there is no deleted mailbox ${address} of the requesting agency or its sub-units`,
    );
    return;
  }
  if (item.mailboxType && item.mailboxType !== deleted.type) {
    problems.add(
      'invalid',
      `${at}/mailboxType`,
      `Hộp thư ${address} là hộp thư ${deleted.type === 'agency' ? 'cơ quan' : 'cá nhân'}`,
      `the mailbox ${address} is a ${deleted.type} mailbox`,
    );
  }
  if (!deleted.deleted_at) return; // deleted before the replica kept the day: the directory judges
  const window = deletedMailWindow(address, new Date(deleted.deleted_at), ctx.now);
  if (!window.held) {
    problems.add(
      'invalid',
      `${at}/address`,
      `Thư của hộp thư ${address} (xóa ngày ${window.deletedOn}) đã hết thời hạn lưu trữ và bị xóa hẳn từ ngày ${window.purgeOn}; không khôi phục được`,
      `the mail of ${address} (deleted on ${window.deletedOn}) left retention for good on ${window.purgeOn}; it cannot be restored`,
    );
  }
}
