// What becomes of a mailbox's forward when the mailbox itself changes (recordMailboxChanges calls
// this for every change). Deleted, the forward ends: the mail server removes the forward row with
// the mailbox in the delete itself, so the directory only clears it (forward_ended). Moved to a
// new address, the forward moves along: the mail server's rename writes the row again on the new
// address before the old one becomes the transition alias, so the directory only records it
// (forward_moved). Reclaimed but kept locked for a reissue (Kiên Giang), the forward ends by its own
// remove_alias under the mailbox's next generation, after the lock's command.
import type { ProvisioningAction } from '@hopthu/shared/events';
import { findForwardsOf, setForward } from '../../db/forward-repository.ts';
import { insertHistories } from '../../db/history-repository.ts';
import type { ChangeContext, ChangeDeps } from '../deps.ts';
import { issueAddressCommand } from '../mailboxes/provisioning-commands.ts';
import { forwardCommand } from './forward-command.ts';

/** The history name of a reclaim that locks the mailbox instead of deleting it. */
const RECLAIMED = 'reclaimed_inactive';

export interface MailboxEvent {
  mailboxId: string;
  action: ProvisioningAction | undefined;
  change: string | undefined;
  /** The mailbox's address after the change (a rename's new one). */
  address: string | undefined;
}

type Fate = 'deleted' | 'reclaimed' | 'moved';

const fateOf = (e: MailboxEvent): Fate | null => {
  if (e.action === 'delete') return 'deleted';
  if (e.change === RECLAIMED) return 'reclaimed';
  if (e.action === 'rename') return 'moved';
  return null;
};

export async function followForwards(
  deps: Pick<ChangeDeps, 'db' | 'newId'>,
  events: readonly MailboxEvent[],
  ctx: ChangeContext,
): Promise<void> {
  const fates = new Map<string, Fate>();
  const addresses = new Map<string, string | undefined>();
  for (const e of events) {
    const fate = fateOf(e);
    if (!fate || fates.get(e.mailboxId) === 'deleted') continue;
    fates.set(e.mailboxId, fate);
    addresses.set(e.mailboxId, e.address);
  }
  if (fates.size === 0) return;
  const forwards = await findForwardsOf(deps.db, [...fates.keys()]);
  const histories = [];
  for (const [mailboxId, forwardTo] of forwards) {
    const fate = fates.get(mailboxId);
    const details: Record<string, unknown> = { forwardTo };
    if (fate === 'moved') {
      details.address = addresses.get(mailboxId);
    } else if (fate === 'deleted') {
      await setForward(deps.db, mailboxId, null, ctx.at, { bumpGeneration: false });
    } else {
      const mailbox = await setForward(deps.db, mailboxId, null, ctx.at, { bumpGeneration: true });
      await issueAddressCommand(
        deps.db,
        deps.newId,
        'alias',
        forwardCommand({ id: mailboxId, ...mailbox }, null),
        ctx,
      );
    }
    histories.push({
      mailboxId,
      at: ctx.at,
      change: fate === 'moved' ? 'forward_moved' : 'forward_ended',
      reason: ctx.reason,
      requestId: ctx.requestId,
      itemId: ctx.itemId,
      actor: ctx.actor,
      details,
    });
  }
  await insertHistories(deps.db, histories);
}
