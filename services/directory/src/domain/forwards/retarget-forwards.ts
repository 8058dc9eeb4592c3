// Forwards that point at a mailbox whose address changed (a transfer, an agency rename, a
// conversion to the rule, a reorganisation's re-addressing) follow it to the new address: mail sent
// on to the old one would otherwise reach it only through the transition alias, and be lost when
// that ends. Each forwarding mailbox gets its forward rewritten under its next generation (the
// set_alias of its own row, A -> A,new, ordered after any command of its own), a
// `forward_retargeted` history naming the renamed mailbox and the change's request, and its state
// published. The command carries no item: the rename's own command settles the rename's item.
import { insertHistories } from '../../db/history-repository.ts';
import { findForwardersTo, setForward } from '../../db/forward-repository.ts';
import type { ChangeContext, ChangeDeps } from '../deps.ts';
import { publishMailboxStates } from '../mailboxes/directory-state.ts';
import { issueAddressCommand } from '../mailboxes/provisioning-commands.ts';
import { forwardCommand } from './forward-command.ts';

export interface AddressMove {
  mailboxId: string;
  from: string;
  to: string;
}

/** Rewrites every forward to a `from` address to its `to`; answers the forwarding mailboxes' ids. */
export async function retargetForwards(
  deps: Pick<ChangeDeps, 'db' | 'newId'>,
  moves: readonly AddressMove[],
  ctx: ChangeContext,
): Promise<string[]> {
  const byOld = new Map(moves.filter((m) => m.from !== m.to).map((m) => [m.from.toLowerCase(), m]));
  const forwarders = await findForwardersTo(deps.db, [...byOld.keys()]);
  const histories = [];
  for (const { id, forwardTo } of forwarders) {
    const move = byOld.get(forwardTo);
    if (!move || move.mailboxId === id) continue;
    const target = move.to.toLowerCase();
    const mailbox = await setForward(deps.db, id, target, ctx.at);
    await issueAddressCommand(deps.db, deps.newId, 'alias', forwardCommand({ id, ...mailbox }, target), {
      ...ctx,
      requestId: null,
      itemId: null,
    });
    histories.push({
      mailboxId: id,
      at: ctx.at,
      change: 'forward_retargeted',
      reason: ctx.reason,
      requestId: ctx.requestId,
      itemId: ctx.itemId,
      actor: ctx.actor,
      details: { from: move.from, forwardTo: target, renamedMailboxId: move.mailboxId },
    });
  }
  await insertHistories(deps.db, histories);
  const ids = histories.map((h) => h.mailboxId);
  await publishMailboxStates(deps.db, ids, ctx);
  return ids;
}
