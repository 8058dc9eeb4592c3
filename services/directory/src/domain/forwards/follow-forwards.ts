// What becomes of a mailbox's forward when the mailbox itself changes (recordMailboxChanges calls
// this for every change): deleted or reclaimed, the forward ends (the alias row on its address is
// removed); moved to a new address, the forward moves along (the mail server's rename leaves a
// transition alias on the old address, so the forward row is written again on the new one). Each
// under the mailbox's next generation, with a history row (forward_ended / forward_moved).
import type { ProvisioningAction } from '@hopthu/shared/events';
import { findForwardsOf, setForward } from '../../db/forward-repository.ts';
import { insertHistories } from '../../db/history-repository.ts';
import type { ChangeContext, ChangeDeps } from '../deps.ts';
import { issueAddressCommand } from '../mailboxes/provisioning-commands.ts';
import { forwardCommand } from './forward-command.ts';

/** The history names of changes that take the mailbox from its holder without deleting it. */
const RECLAIMED = new Set(['reclaimed_inactive']);

export interface MailboxEvent {
  mailboxId: string;
  action: ProvisioningAction | undefined;
  change: string | undefined;
}

export async function followForwards(
  deps: Pick<ChangeDeps, 'db' | 'newId'>,
  events: readonly MailboxEvent[],
  ctx: ChangeContext,
): Promise<void> {
  const fate = new Map<string, 'ended' | 'moved'>();
  for (const e of events) {
    if (e.action === 'delete' || (e.change && RECLAIMED.has(e.change))) fate.set(e.mailboxId, 'ended');
    else if (e.action === 'rename' && !fate.has(e.mailboxId)) fate.set(e.mailboxId, 'moved');
  }
  if (fate.size === 0) return;
  const forwards = await findForwardsOf(deps.db, [...fate.keys()]);
  const histories = [];
  for (const [mailboxId, forwardTo] of forwards) {
    const moved = fate.get(mailboxId) === 'moved';
    const mailbox = await setForward(deps.db, mailboxId, moved ? forwardTo : null, ctx.at);
    await issueAddressCommand(
      deps.db,
      deps.newId,
      'alias',
      forwardCommand({ id: mailboxId, ...mailbox }, moved ? forwardTo : null),
      ctx,
    );
    histories.push({
      mailboxId,
      at: ctx.at,
      change: moved ? 'forward_moved' : 'forward_ended',
      reason: ctx.reason,
      requestId: ctx.requestId,
      itemId: ctx.itemId,
      actor: ctx.actor,
      details: { forwardTo, ...(moved ? { address: mailbox.address } : {}) },
    });
  }
  await insertHistories(deps.db, histories);
}
