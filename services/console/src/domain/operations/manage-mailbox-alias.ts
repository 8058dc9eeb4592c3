// An operator gives a mailbox an alias (an address in its domain, e.g. motcua@ for a one-stop
// desk) or removes one, with a reason. Filed like the page's other actions (act-on-mailbox.ts) as
// an add_alias / remove_alias request for the mailbox's agency under the operator's own token, so
// the province's approval rules, Bắc Ninh Điều 8 khoản 5 (no address outside the province's
// domains), the directory's history naming the operator, the events and exactly-once apply as to
// an agency's request. Audited as mailbox.alias_add / mailbox.alias_remove.
import type { SessionRecord } from '../../db/session-repository.ts';
import type { ConsoleDeps } from '../deps.ts';
import { type ActOnMailboxResult, actOnMailbox } from './act-on-mailbox.ts';

export async function manageMailboxAlias(
  deps: ConsoleDeps,
  input: {
    change: 'add' | 'remove';
    mailboxId: string;
    alias: string;
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
  return actOnMailbox(deps, {
    mailboxId: input.mailboxId,
    address: state.body.address,
    agencyId: state.body.agencyId,
    action: input.change === 'add' ? 'add_alias' : 'remove_alias',
    alias: input.alias.trim().toLowerCase(),
    reason: input.reason,
    idempotencyKey: input.idempotencyKey,
    operator: input.operator,
    clientIp: input.clientIp,
  });
}
