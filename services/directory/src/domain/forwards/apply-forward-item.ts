// An approved set_forward / clear_forward item (the agency API, or an operator's request from the
// console): the mailbox is the item's `address` (the acting agency's own or a sub-unit's), the
// target `changes.forwardTo`. The directory keeps the forward on the mailbox (its state shows it),
// records the change through recordMailboxChange (history naming the request, the item and who
// approved it, or the filer when the province's policy approved it on receipt) and commands the
// alias row on the mailbox's own address (forward-command.ts), so the provisioner's result settles
// the item. The province's forwarding rule is judged again here (Bắc Ninh Điều 8 khoản 5).
import { findPolicy, judgeForwardingTarget } from '@hopthu/naming';
import { findForwardsOf, setForward } from '../../db/forward-repository.ts';
import type { ChangeContext } from '../deps.ts';
import { findOwnedMailbox } from '../items/find-owned-mailbox.ts';
import type { ItemDeps, ItemOutcome, OperationInput } from '../items/item-outcome.ts';
import { recordMailboxChange } from '../mailboxes/record-mailbox-change.ts';
import { forwardCommand } from './forward-command.ts';

export async function applyForwardItem(deps: ItemDeps, input: OperationInput): Promise<ItemOutcome> {
  const { item, ctx } = input;
  const owned = await findOwnedMailbox(deps.db, item);
  if (!owned.ok) return { outcome: 'failed', reason: owned.reason };
  const { mailbox } = owned;
  const previous = (await findForwardsOf(deps.db, [mailbox.id])).get(mailbox.id) ?? null;
  const target = item.operation === 'set_forward' ? forwardTarget(item.changes) : null;
  const refusal = refuse(mailbox, item.operation, target, previous);
  if (refusal) return { outcome: 'failed', reason: refusal, mailbox };
  const automatic = item.approvedBy.startsWith('policy:');
  // approved on receipt, the one who acted is the filer (an operator from the console, or the agency)
  const as: ChangeContext = { ...ctx, actor: automatic && item.filedBy ? item.filedBy : ctx.actor };
  const next = await setForward(deps.db, mailbox.id, target, ctx.at);
  await recordMailboxChange(
    deps,
    {
      mailbox: { id: mailbox.id },
      history: {
        change: target ? 'forward_set' : 'forward_cleared',
        details: { forwardTo: target, previous },
      },
      aliasCommand: forwardCommand({ id: mailbox.id, ...next }, target),
    },
    as,
  );
  return { outcome: 'commanded', mailbox: { ...mailbox, generation: next.generation } };
}

const forwardTarget = (changes: Record<string, unknown> | undefined) =>
  typeof changes?.forwardTo === 'string' ? changes.forwardTo.trim().toLowerCase() : null;

function refuse(
  mailbox: { address: string; province: string; state: string },
  operation: string,
  target: string | null,
  previous: string | null,
): { vi: string; en: string } | null {
  if (operation === 'clear_forward') {
    return previous
      ? null
      : {
          vi: `Hộp thư ${mailbox.address} không chuyển tiếp thư`,
          en: `The mailbox ${mailbox.address} has no forward`,
        };
  }
  if (!target) return { vi: 'Thiếu địa chỉ chuyển tiếp', en: 'The item names no forwardTo' };
  if (target === mailbox.address)
    return {
      vi: 'Không thể chuyển tiếp thư của hộp thư về chính địa chỉ của nó',
      en: "a mailbox's mail cannot be forwarded to its own address",
    };
  if (mailbox.state !== 'active')
    return {
      vi: `Hộp thư ${mailbox.address} không hoạt động: không đặt chuyển tiếp được`,
      en: `The mailbox ${mailbox.address} is not active: no forward can be set`,
    };
  const policy = findPolicy(mailbox.province);
  const verdict = policy ? judgeForwardingTarget(policy, target) : { allowed: true as const };
  return verdict.allowed ? null : verdict.message;
}
