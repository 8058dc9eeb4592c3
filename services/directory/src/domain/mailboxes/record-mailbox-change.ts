// The one place a change to a mailbox is recorded, in the caller's transaction and always in this
// order: its history row (who, why, which request and item: from the ChangeContext), the
// provisioning command for the mail server (recorded and outboxed), the mailbox's new state on
// hopthu.directory.v1 and, where the agency's own mailbox came or went, the agency's state. Every
// use case that changes a mailbox (an item's create, update, state change, address change or
// delete, a reclaim, an import, a reorganisation) ends here; many mailboxes at once go set-wise.
import type { Mailbox } from '../../db/mailbox-repository.ts';
import { insertHistories } from '../../db/history-repository.ts';
import type { ChangeContext, ChangeDeps } from '../deps.ts';
import { publishAgencyState, publishMailboxStates } from './directory-state.ts';
import { issueCommands, type MailboxCommand } from './provisioning-commands.ts';

export interface MailboxChange {
  /** The mailbox after the change (under its new generation when a command goes). */
  mailbox: Pick<Mailbox, 'id' | 'generation' | 'address' | 'domain'>;
  /** The history row: what changed (`created`, `deleted`, `address_changed`…) and its details. */
  history?: { change: string; details?: Record<string, unknown> };
  /** The command for the mail server; absent when only the directory changes. */
  command?: MailboxCommand;
  /** Where the mail server has the mailbox when that is not its new address (a rename: the old one). */
  commandAddress?: { address: string; domain: string };
  /** false when nothing others see of the mailbox changed (a history note only); default true. */
  publish?: boolean;
  /** The agency whose state changes with it (its own mailbox created or deleted). */
  agencyId?: string | undefined;
}

export async function recordMailboxChange(
  deps: Pick<ChangeDeps, 'db' | 'newId'>,
  change: MailboxChange,
  ctx: ChangeContext,
): Promise<void> {
  await recordMailboxChanges(deps, [change], ctx);
}

/** recordMailboxChange for many mailboxes: one statement per table, in the changes' order. */
export async function recordMailboxChanges(
  deps: Pick<ChangeDeps, 'db' | 'newId'>,
  changes: readonly MailboxChange[],
  ctx: ChangeContext,
): Promise<void> {
  const { db } = deps;
  await insertHistories(
    db,
    changes.flatMap(({ mailbox, history }) =>
      history
        ? [
            {
              mailboxId: mailbox.id,
              at: ctx.at,
              change: history.change,
              reason: ctx.reason,
              requestId: ctx.requestId,
              itemId: ctx.itemId,
              actor: ctx.actor,
              details: history.details ?? {},
            },
          ]
        : [],
    ),
  );
  await issueCommands(
    db,
    deps.newId,
    changes.flatMap(({ mailbox, command, commandAddress }) =>
      command ? [{ mailbox: { ...mailbox, ...commandAddress }, command }] : [],
    ),
    ctx,
  );
  await publishMailboxStates(
    db,
    changes.filter((c) => c.publish !== false).map((c) => c.mailbox.id),
    ctx,
  );
  const agencyIds = new Set(changes.flatMap((c) => (c.agencyId ? [c.agencyId] : [])));
  for (const agencyId of agencyIds) await publishAgencyState(db, agencyId, ctx);
}
