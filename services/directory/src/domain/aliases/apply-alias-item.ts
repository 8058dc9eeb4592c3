// An approved add_alias / remove_alias item (the agency API, or an operator's request from the
// console): the mailbox is the item's `address` (the acting agency's own or a sub-unit's), the
// alias its `changes.alias`. The alias is added or removed as an operator's would be (history
// naming the request, the item and who approved it, or who filed it when the province's policy
// approved it on receipt; the mailbox's state published), and the
// set_alias / remove_alias command carries the item, so the provisioner's result settles it. A
// role address (postmaster@, noc@) needs an operator's approval, not the province's automatic one.
import { AppError } from '@hopthu/shared/errors';
import type { ChangeContext } from '../deps.ts';
import { findOwnedMailbox } from '../items/find-owned-mailbox.ts';
import type { ItemDeps, ItemOutcome, OperationInput } from '../items/item-outcome.ts';
import { addAliasIn, removeAliasIn } from './manage-aliases.ts';

export async function applyAliasItem(deps: ItemDeps, input: OperationInput): Promise<ItemOutcome> {
  const { item, ctx } = input;
  const owned = await findOwnedMailbox(deps.db, item);
  if (!owned.ok) return { outcome: 'failed', reason: owned.reason };
  const alias = typeof item.changes?.alias === 'string' ? item.changes.alias : null;
  if (!alias) {
    return {
      outcome: 'failed',
      reason: { vi: 'Thiếu địa chỉ bí danh', en: 'The item names no alias' },
      mailbox: owned.mailbox,
    };
  }
  const automatic = item.approvedBy.startsWith('policy:');
  // approved on receipt, the one who acted is the filer (an operator from the console, or the agency)
  const as: ChangeContext = { ...ctx, actor: automatic && item.filedBy ? item.filedBy : ctx.actor };
  try {
    if (item.operation === 'add_alias') {
      await addAliasIn(deps, {
        mailboxId: owned.mailbox.id,
        address: alias,
        ctx: as,
        allowRoleAddresses: !automatic,
      });
    } else {
      await removeAliasIn(deps, { address: alias, mailboxId: owned.mailbox.id, ctx: as });
    }
  } catch (error) {
    // every refusal is thrown before anything is written: the item fails with why
    if (error instanceof AppError) return { outcome: 'failed', reason: error.text, mailbox: owned.mailbox };
    throw error;
  }
  return { outcome: 'commanded', mailbox: owned.mailbox };
}
