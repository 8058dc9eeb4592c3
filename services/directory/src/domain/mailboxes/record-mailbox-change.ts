// The one place a change to a mailbox is recorded, in the caller's transaction and always in this
// order: its history row (who, why, which request and item: from the ChangeContext), the
// provisioning command for the mail server (recorded and outboxed; for an alias of the mailbox,
// the alias's own set_alias / remove_alias; a forward ended or moved along with a delete, reclaim
// or rename), the mailbox's new state on
// hopthu.directory.v1 and, where the agency's own mailbox came or went, the agency's state. Every
// use case that changes a mailbox (an item's create, update, state change, address change or
// delete, a reclaim, an import, a reorganisation) ends here; many mailboxes at once go set-wise.
import type { Mailbox } from '../../db/mailbox-repository.ts';
import { insertHistories } from '../../db/history-repository.ts';
import { followForwards } from '../forwards/follow-forwards.ts';
import type { ChangeContext, ChangeDeps } from '../deps.ts';
import { Topics } from '@hopthu/shared/events';
import { insertOutboxMessages } from '@hopthu/shared/outbox';
import { buildMailboxStates, publishAgencyState } from './directory-state.ts';
import { eventFor } from './directory-event.ts';
import {
  type AddressCommand,
  issueAddressCommand,
  issueCommands,
  type MailboxCommand,
} from './provisioning-commands.ts';

export interface MailboxChange {
  /** The mailbox after the change (all of it, under its new generation, when a `command` goes). */
  mailbox: Pick<Mailbox, 'id'> & Partial<Pick<Mailbox, 'generation' | 'address' | 'domain'>>;
  /** The history row: what changed (`created`, `deleted`, `address_changed`…) and its details. */
  history?: { change: string; details?: Record<string, unknown> };
  /** The command for the mail server; absent when only the directory changes. */
  command?: MailboxCommand;
  /** An alias of the mailbox added or taken away: the alias's own command. */
  aliasCommand?: AddressCommand;
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
  await recordEachMailboxChange(
    deps,
    changes.map((change) => ({ change, ctx })),
  );
}

/**
 * recordMailboxChanges where each change has its own context (the items of a consumer's batch,
 * each with its request, item, approver and correlation id): still one statement per table.
 */
export async function recordEachMailboxChange(
  deps: Pick<ChangeDeps, 'db' | 'newId'>,
  entries: readonly { change: MailboxChange; ctx: ChangeContext }[],
): Promise<void> {
  const { db } = deps;
  const first = entries[0];
  if (!first) return;
  await insertHistories(
    db,
    entries.flatMap(({ change: { mailbox, history }, ctx }) =>
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
    entries.flatMap(({ change: { mailbox, command, commandAddress }, ctx }) =>
      command ? [{ mailbox: commandTarget({ ...mailbox, ...commandAddress }), command, ctx }] : [],
    ),
    first.ctx,
  );
  for (const { change, ctx } of entries) {
    if (change.aliasCommand) await issueAddressCommand(db, deps.newId, 'alias', change.aliasCommand, ctx);
  }
  // a deleted or reclaimed mailbox's forward ends, a moved one's moves along (follow-forwards.ts)
  for (const [ctx, changes] of byContext(entries)) {
    await followForwards(
      deps,
      changes.map((c) => ({
        mailboxId: c.mailbox.id,
        action: c.command?.action,
        change: c.history?.change,
        address: c.mailbox.address,
      })),
      ctx,
    );
  }
  const published = entries.filter(({ change }) => change.publish !== false);
  if (published.length > 0) {
    const states = await buildMailboxStates(
      db,
      published.map(({ change }) => change.mailbox.id),
      first.ctx.at,
    );
    await insertOutboxMessages(
      db,
      states.map((data, i) => ({
        topic: Topics.directory,
        key: data.mailboxId,
        event: eventFor(data.mailboxId, 'vn.gov.hopthu.directory.mailbox.v1', data, published[i]!.ctx),
      })),
    );
  }
  const agencies = new Map<string, ChangeContext>();
  for (const { change, ctx } of entries) {
    if (change.agencyId && !agencies.has(change.agencyId)) agencies.set(change.agencyId, ctx);
  }
  for (const [agencyId, ctx] of agencies) await publishAgencyState(db, agencyId, ctx);
}

/** The changes grouped by their context (one group when they share one), in order of first use. */
function byContext(entries: readonly { change: MailboxChange; ctx: ChangeContext }[]) {
  const groups = new Map<ChangeContext, MailboxChange[]>();
  for (const { change, ctx } of entries) {
    const group = groups.get(ctx);
    if (group) group.push(change);
    else groups.set(ctx, [change]);
  }
  return groups;
}

function commandTarget(
  mailbox: MailboxChange['mailbox'],
): Pick<Mailbox, 'id' | 'generation' | 'address' | 'domain'> {
  const { id, generation, address, domain } = mailbox;
  if (generation === undefined || address === undefined || domain === undefined) {
    throw new Error(`a command for mailbox ${id} needs its generation, address and domain`);
  }
  return { id, generation, address, domain };
}
