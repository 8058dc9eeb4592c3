// suspend, restore, delete and reset_password on an existing mailbox: the directory records the
// target state under a new generation, keeps the history and sends the matching command
// (mailboxes/set-mailbox-state.ts); a delete also holds the address back from reissue. `restore`
// reopens a `suspended` or `locked` (inactivity) mailbox alike.
import { getPolicy } from '@hopthu/naming';
import { markPasswordIssued } from '../../db/password-repository.ts';
import { setMailboxState, type StateTarget } from '../mailboxes/set-mailbox-state.ts';
import { findOwnedMailbox } from './find-owned-mailbox.ts';
import type { ItemDeps, ItemOutcome, OperationInput } from './item-outcome.ts';

type StateOperation = 'suspend' | 'restore' | 'delete' | 'reset_password';

const TARGET: Record<StateOperation, StateTarget> = {
  suspend: { action: 'suspend', state: 'suspended', change: 'suspended' },
  restore: { action: 'restore', state: 'active', change: 'restored' },
  delete: { action: 'delete', state: 'deleted', change: 'deleted' },
  reset_password: { action: 'set_password', state: null, change: 'password_reset' },
};

export function isStateOperation(operation: string): operation is StateOperation {
  return operation in TARGET;
}

export async function changeMailboxState(
  deps: ItemDeps,
  { item, ctx }: Pick<OperationInput, 'item' | 'ctx'>,
): Promise<ItemOutcome> {
  if (!isStateOperation(item.operation)) throw new Error(`not a state operation: ${item.operation}`);
  const owned = await findOwnedMailbox(deps.db, item);
  if (!owned.ok) return { outcome: 'failed', reason: owned.reason };
  const target = TARGET[item.operation];
  if (item.operation === 'reset_password' && !item.passwordHash) {
    return {
      outcome: 'failed',
      reason: { vi: 'Thiếu mật khẩu mới (dạng băm)', en: 'The item carries no new password hash' },
    };
  }
  // A reset issues a new password; so does a restore that carries one (Kiên Giang reopens a mailbox
  // locked for its unchanged default password under a new one). Khánh Hòa and Đắk Nông make the
  // holder change a reissued password before first use.
  const issued = item.operation === 'reset_password' || (item.operation === 'restore' && !!item.passwordHash);
  const mustChange =
    item.operation === 'reset_password' && !!getPolicy(owned.mailbox.province).firstLoginChange?.onReset;
  const mailbox = await setMailboxState(deps, {
    before: owned.mailbox,
    target,
    ctx,
    ...(issued
      ? { passwordHash: item.passwordHash, ...(mustChange ? { passwordChangeRequired: true } : {}) }
      : {}),
  });
  if (issued) await markPasswordIssued(deps.db, mailbox.id, ctx.at);
  return { outcome: 'commanded', mailbox };
}
