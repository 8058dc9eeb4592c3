// An operator forwards a mailbox's mail to another address too (a copy kept in the mailbox), or
// ends the forward, with a reason. Filed like the page's other actions (act-on-mailbox.ts) as a
// set_forward / clear_forward request for the mailbox's agency under the operator's own token, so
// the province's approval rules, Bắc Ninh Điều 8 khoản 5 (only the province's domains or gov.vn),
// the directory's history naming the operator, the events and exactly-once apply as to an agency's
// request. Audited as mailbox.forward_set / mailbox.forward_clear.
import type { SessionRecord } from '../../db/session-repository.ts';
import type { ConsoleDeps } from '../deps.ts';
import { type ActOnMailboxResult, actOnMailbox } from './act-on-mailbox.ts';

export async function manageMailboxForward(
  deps: ConsoleDeps,
  input: {
    /** The target for a new forward; null ends the forward there is. */
    forwardTo: string | null;
    mailboxId: string;
    reason: string;
    idempotencyKey: string;
    operator: SessionRecord;
    clientIp: string;
  },
): Promise<ActOnMailboxResult> {
  const state = await deps.upstreams.directory.get<{ address?: string; agencyId?: string }>(
    `/admin/mailboxes/${input.mailboxId}`,
  );
  if (state.status !== 200 || !state.body.address || !state.body.agencyId)
    return { outcome: 'refused', message: 'Không có hộp thư này' };
  const { address, agencyId } = state.body;
  const common = {
    mailboxId: input.mailboxId,
    address,
    agencyId,
    reason: input.reason,
    idempotencyKey: input.idempotencyKey,
    operator: input.operator,
    clientIp: input.clientIp,
  };
  return input.forwardTo === null
    ? actOnMailbox(deps, { ...common, action: 'clear_forward' })
    : actOnMailbox(deps, {
        ...common,
        action: 'set_forward',
        forwardTo: input.forwardTo.trim().toLowerCase(),
      });
}
