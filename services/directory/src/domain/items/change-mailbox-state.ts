// suspend, restore, delete and reset_password on an existing mailbox: the directory records the
// target state under a new generation, keeps the history and sends the matching command. A delete
// also holds the address back from reissue for the configured period. `restore` reopens a
// `suspended` or `locked` (inactivity) mailbox alike.
import type { ItemApproved, ProvisioningAction } from '@hopthu/shared/events';
import { insertRetiredAddress } from '../../db/address-repository.ts';
import { findPolicy, getPolicy } from '@hopthu/naming';
import { insertHistory } from '../../db/history-repository.ts';
import { markReopened } from '../../db/inactivity-repository.ts';
import { type Mailbox, updateMailbox } from '../../db/mailbox-repository.ts';
import { markPasswordIssued } from '../../db/password-repository.ts';
import type { MailboxStateName } from '../../db/schema.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { issueCommand } from '../mailboxes/provisioning-commands.ts';
import { publishAgencyState, publishMailboxState } from '../mailboxes/directory-state.ts';
import type { ItemOutcome } from './create-personal-mailbox.ts';
import { findOwnedMailbox } from './find-owned-mailbox.ts';

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
  // A reset issues a new password; so does a restore that carries one (Kiên Giang reopens a mailbox
  // locked for its unchanged default password under a new one). Khánh Hòa and Đắk Nông make the
  // holder change a reissued password before first use.
  const issued = item.operation === 'reset_password' || (item.operation === 'restore' && !!item.passwordHash);
  const mustChange =
    item.operation === 'reset_password' && !!getPolicy(owned.mailbox.province).firstLoginChange?.onReset;
  const mailbox = await setMailboxState(db, newId, owned.mailbox, target, ctx, {
    retiredHoldDays: options.retiredHoldDays,
    ...(issued
      ? { passwordHash: item.passwordHash, ...(mustChange ? { passwordChangeRequired: true } : {}) }
      : {}),
  });
  if (issued) await markPasswordIssued(db, mailbox.id, ctx.at);
  return { outcome: 'commanded', mailbox };
}

/** What a state change does: the command, the state it leaves (null: unchanged) and its history name. */
export interface StateTarget {
  action: ProvisioningAction;
  state: MailboxStateName | null;
  change: string;
}

/**
 * The one way a mailbox's state changes (requests' items, the inactivity lock, an approved reclaim):
 * a new generation, the history entry (with `details` added), a delete's retired address, the
 * command, and the published state; a restore restarts the inactivity period.
 */
export async function setMailboxState(
  db: Db,
  newId: () => string,
  before: Mailbox,
  target: StateTarget,
  ctx: ChangeContext,
  options: {
    retiredHoldDays: number;
    passwordHash?: string | undefined;
    passwordChangeRequired?: boolean;
    details?: Record<string, unknown>;
  },
): Promise<Mailbox> {
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
  if (target.action === 'restore') await markReopened(db, mailbox.id, ctx.at);
  await insertHistory(db, {
    mailboxId: mailbox.id,
    at: ctx.at,
    change: target.change,
    reason: ctx.reason,
    requestId: ctx.requestId,
    itemId: ctx.itemId,
    actor: ctx.actor,
    details: { from: before.state, to: mailbox.state, generation: mailbox.generation, ...options.details },
  });
  if (target.action === 'delete') {
    // The province's hold (its policy file's retention.retiredAddressDays); RETIRED_HOLD_DAYS only
    // for a province without a policy.
    const holdDays = findPolicy(mailbox.province)?.retention.retiredAddressDays ?? options.retiredHoldDays;
    const holdUntil = new Date(ctx.at.getTime() + holdDays * 24 * 3600 * 1000);
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
      ...(options.passwordHash !== undefined ? { passwordHash: options.passwordHash } : {}),
      ...(options.passwordChangeRequired ? { passwordChangeRequired: true } : {}),
    },
    ctx,
  );
  await publishMailboxState(db, mailbox.id, ctx);
  if (target.action === 'delete' && mailbox.type === 'agency') {
    await db
      .updateTable('agencies')
      .set({ official_mailbox_id: null, updated_at: ctx.at })
      .where('official_mailbox_id', '=', mailbox.id)
      .execute();
    await publishAgencyState(db, mailbox.agencyId, ctx);
  }
  return mailbox;
}
