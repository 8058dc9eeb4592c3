// The checks of an item on a mailbox's forward (set_forward, clear_forward): the mailbox is
// `address` (checkItemTarget: it exists in the client's subtree), the target `forwardTo`. A target
// is refused when it is the mailbox's own address, or where the province forbids automatic
// forwarding between an official mailbox and one not issued by a state body and it lies outside
// the province's domains and gov.vn (Bắc Ninh Điều 8 khoản 5: judgeForwardingTarget, refused naming
// the article). `forwardTo` on any other item is refused. Pure: adds what fails to Problems.
import { findPolicy, judgeForwardingTarget } from '@hopthu/naming';
import { isForwardOperation } from '@hopthu/shared/events';
import type { Item, ItemContext, Problems } from './check-item.ts';

export function checkForwardItem(ctx: ItemContext, item: Item, at: string, problems: Problems) {
  const field = `${at}/forwardTo`;
  if (item.operation !== 'set_forward') {
    if (item.forwardTo !== undefined)
      problems.add(
        'invalid',
        field,
        isForwardOperation(item.operation)
          ? 'clear_forward không cần forwardTo: chỉ dừng chuyển tiếp hiện có'
          : 'forwardTo chỉ dùng cho thao tác set_forward',
        isForwardOperation(item.operation)
          ? 'clear_forward takes no forwardTo: it ends the forward there is'
          : 'forwardTo is only for set_forward',
      );
    return;
  }
  if (item.forwardTo === undefined) {
    problems.add('invalid', field, 'Thiếu địa chỉ chuyển tiếp', 'forwardTo is required for set_forward');
    return;
  }
  const target = item.forwardTo.trim().toLowerCase();
  const mailbox = item.address ? ctx.mailboxes.get(item.address.toLowerCase()) : undefined;
  const agency = mailbox ? ctx.agencies.get(mailbox.agency_id) : ctx.agency;
  const policy = findPolicy(agency?.province ?? ctx.agency.province);
  if (policy) {
    const domains = [...ctx.agencies.values()].map((a) => a.domain);
    const verdict = judgeForwardingTarget(policy, target, domains);
    if (!verdict.allowed) {
      problems.add('invalid', field, verdict.message.vi, verdict.message.en);
      return;
    }
  }
  if (item.address && target === item.address.trim().toLowerCase())
    problems.add(
      'invalid',
      field,
      'Không thể chuyển tiếp thư của hộp thư về chính địa chỉ của nó',
      "a mailbox's mail cannot be forwarded to its own address",
    );
}
