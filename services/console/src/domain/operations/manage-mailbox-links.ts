// An operator changes where a mailbox's mail comes from or goes: gives it an alias (an address in
// its domain, e.g. motcua@ for a one-stop desk) or removes one, forwards its mail to another address
// too (a copy kept in the mailbox) or ends the forward, each with a reason. Filed like the page's
// other actions (act-on-mailbox.ts) as an add_alias / remove_alias / set_forward / clear_forward
// request for the mailbox's agency under the operator's own token, so the province's approval
// rules, Bắc Ninh Điều 8 khoản 5 (only the province's domains or gov.vn), the directory's history
// naming the operator, the events and exactly-once apply as to an agency's request. Audited as
// mailbox.alias_add / mailbox.alias_remove / mailbox.forward_set / mailbox.forward_clear.
import type { SessionRecord } from '../../db/session-repository.ts';
import type { ConsoleDeps } from '../deps.ts';
import {
  type ActOnMailboxResult,
  type AliasAction,
  actOnMailbox,
  type ForwardAction,
} from './act-on-mailbox.ts';

export type MailboxLinkChange =
  | { action: AliasAction; alias: string }
  | { action: 'set_forward'; forwardTo: string }
  | { action: Exclude<ForwardAction, 'set_forward'> };

export async function manageMailboxLinks(
  deps: ConsoleDeps,
  input: {
    change: MailboxLinkChange;
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
  const { change } = input;
  return actOnMailbox(deps, {
    mailboxId: input.mailboxId,
    address: state.body.address,
    agencyId: state.body.agencyId,
    action: change.action,
    ...('alias' in change ? { alias: change.alias.trim().toLowerCase() } : {}),
    ...('forwardTo' in change ? { forwardTo: change.forwardTo.trim().toLowerCase() } : {}),
    reason: input.reason,
    idempotencyKey: input.idempotencyKey,
    operator: input.operator,
    clientIp: input.clientIp,
  });
}
