// The checks of an item on a mailbox's aliases (add_alias, remove_alias): the mailbox is `address`
// (checkItemTarget: it exists in the client's subtree), the alias is `alias`. A new alias must be a
// valid address in the mailbox's own domain, and never an address outside the province's domains
// where the province forbids automatic forwarding between an official mailbox and one not issued
// by a state body (Bắc Ninh Điều 8 khoản 5: judgeForwardingTarget, refused naming the article).
// An `alias` on any other item is refused. Pure: adds what fails to Problems.
import { findPolicy, isValidLocalPart, judgeForwardingTarget } from '@hopthu/naming';
import { isAliasOperation } from '@hopthu/shared/events';
import type { Item, ItemContext, Problems } from './check-item.ts';

export function checkAliasItem(ctx: ItemContext, item: Item, at: string, problems: Problems) {
  if (!isAliasOperation(item.operation)) {
    if (item.alias !== undefined)
      problems.add(
        'invalid',
        `${at}/alias`,
        'alias chỉ dùng cho thao tác add_alias và remove_alias',
        'alias is only for add_alias and remove_alias',
      );
    return;
  }
  if (item.alias === undefined) {
    problems.add(
      'invalid',
      `${at}/alias`,
      'Thiếu địa chỉ bí danh',
      'alias is required for add_alias and remove_alias',
    );
    return;
  }
  if (item.operation !== 'add_alias') return; // an alias to remove is the directory's to find
  const alias = item.alias.trim().toLowerCase();
  const mailbox = item.address ? ctx.mailboxes.get(item.address.toLowerCase()) : undefined;
  const agency = mailbox ? ctx.agencies.get(mailbox.agency_id) : ctx.agency;
  const policy = findPolicy(agency?.province ?? ctx.agency.province);
  if (policy) {
    const domains = [...ctx.agencies.values()].map((a) => a.domain);
    const verdict = judgeForwardingTarget(policy, alias, domains);
    if (!verdict.allowed) {
      problems.add('invalid', `${at}/alias`, verdict.message.vi, verdict.message.en);
      return;
    }
  }
  if (!mailbox) return; // checkItemTarget has said why
  const at_ = alias.lastIndexOf('@');
  const [local, domain] = [alias.slice(0, at_), alias.slice(at_ + 1)];
  const mailboxDomain = mailbox.address.slice(mailbox.address.lastIndexOf('@') + 1);
  if (domain !== mailboxDomain || !isValidLocalPart(local))
    problems.add(
      'invalid',
      `${at}/alias`,
      `Bí danh phải là địa chỉ hợp lệ thuộc tên miền ${mailboxDomain} của hộp thư`,
      `the alias must be a valid address in the mailbox's domain ${mailboxDomain}`,
    );
  else if (alias === mailbox.address)
    problems.add(
      'invalid',
      `${at}/alias`,
      'Bí danh không được trùng địa chỉ của hộp thư',
      "the alias cannot be the mailbox's own address",
    );
}
