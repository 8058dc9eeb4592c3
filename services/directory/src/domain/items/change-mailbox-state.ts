// suspend, restore, delete and reset_password on an existing mailbox: the directory records the
// target state under a new generation, keeps the history and sends the matching command. A delete
// also holds the address back from reissue for the configured period.
import type { ItemApproved, ProvisioningAction } from '@hopthu/shared';
import { insertRetiredAddress } from '../../db/address-repository.ts';
import { insertHistory } from '../../db/history-repository.ts';
import { type Mailbox, updateMailbox } from '../../db/mailbox-repository.ts';
import type { MailboxStateName } from '../../db/schema.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { issueCommand, publishAgencyState, publishMailboxState } from '../mailboxes/mailbox-events.ts';
import type { ItemOutcome } from './create-personal-mailbox.ts';
import { findOwnedMailbox } from './find-owned-mailbox.ts';

type StateOperation = 'suspend' | 'restore' | 'delete' | 'reset_password';

const TARGET: Record<
  StateOperation,
  { action: ProvisioningAction; state: MailboxStateName | null; change: string }
> = {
  suspend: { action: 'suspend', state: 'suspended', change: 'suspended' },
  restore: { action: 'restore', state: 'active', change: 'restored' },
  delete: { action: 'delete', state: 'deleted', change: 'deleted' },
  reset_password: { action: 'set_password', state: null, change: 'password_reset' },
};

export function isStateOperation(operation: string): operation is StateOperation {
  return operation in TARGET;
}

export async function changeMailboxState(
  db: Db,
  newId: () => string,
  item: ItemApproved & { operation: StateOperation },
  ctx: ChangeContext,
  options: { retiredHoldDays: number },
): Promise<ItemOutcome> {
  const owned = await findOwnedMailbox(db, item);
  if (!owned.ok) return { outcome: 'failed', reason: owned.reason };
  const target = TARGET[item.operation];
  if (item.operation === 'reset_password' && !item.passwordHash) {
    return {
      outcome: 'failed',
      reason: { vi: 'Thiếu mật khẩu mới (dạng băm)', en: 'The item carries no new password hash' },
    };
  }
  const before = owned.mailbox;
  const mailbox: Mailbox = {
    ...before,
    generation: before.generation + 1,
    // A mailbox restored before the mail server confirmed its creation is still being provisioned.
    state:
      target.state === 'active' && before.state === 'provisioning'
        ? 'provisioning'
        : (target.state ?? before.state),
    updatedAt: ctx.at,
  };
  await updateMailbox(db, mailbox.id, { state: mailbox.state, generation: mailbox.generation }, ctx.at);
  await insertHistory(db, {
    mailboxId: mailbox.id,
    at: ctx.at,
    change: target.change,
    reason: ctx.reason,
    requestId: ctx.requestId,
    itemId: ctx.itemId,
    actor: ctx.actor,
    details: { from: before.state, to: mailbox.state, generation: mailbox.generation },
  });
  if (item.operation === 'delete') {
    const holdUntil = new Date(ctx.at.getTime() + options.retiredHoldDays * 24 * 3600 * 1000);
    await insertRetiredAddress(db, {
      address: mailbox.address,
      localPart: mailbox.localPart,
      domain: mailbox.domain,
      mailboxId: mailbox.id,
      retiredAt: ctx.at,
      holdUntil,
    });
  }
  await issueCommand(
    db,
    newId,
    mailbox,
    {
      action: target.action,
      ...(item.operation === 'reset_password' ? { passwordHash: item.passwordHash } : {}),
    },
    ctx,
  );
  await publishMailboxState(db, mailbox.id, ctx);
  if (item.operation === 'delete' && mailbox.type === 'agency') {
    await db
      .updateTable('agencies')
      .set({ official_mailbox_id: null, updated_at: ctx.at })
      .where('official_mailbox_id', '=', mailbox.id)
      .execute();
    await publishAgencyState(db, mailbox.agencyId, ctx);
  }
  return { outcome: 'commanded', mailbox };
}
