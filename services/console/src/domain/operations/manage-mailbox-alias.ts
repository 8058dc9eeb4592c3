// An operator gives a mailbox an alias (a role address such as noc@) or removes one, with a
// reason, through the directory's admin API under their own token; the directory records it in
// the mailbox's history and tells the mail server. The console records the change and its outcome
// in the audit chain.
import type { SessionRecord } from '../../db/session-repository.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';

export type AliasResult = { outcome: 'done' } | { outcome: 'refused'; message: string };

export async function manageMailboxAlias(
  deps: ConsoleDeps,
  input: {
    change: 'add' | 'remove';
    mailboxId: string;
    alias: string;
    reason: string;
    operator: SessionRecord;
    clientIp: string;
  },
): Promise<AliasResult> {
  const as = { name: input.operator.username, role: input.operator.role };
  const alias = input.alias.trim().toLowerCase();
  const answer =
    input.change === 'add'
      ? await deps.upstreams.directory.post<{ message?: { vi?: string } }>(
          '/admin/aliases',
          { address: alias, mailboxId: input.mailboxId, reason: input.reason },
          as,
        )
      : await deps.upstreams.directory.delete<{ message?: { vi?: string } }>(
          `/admin/aliases/${encodeURIComponent(alias)}`,
          as,
        );
  const result: AliasResult =
    answer.status === 200 || answer.status === 201
      ? { outcome: 'done' }
      : { outcome: 'refused', message: answer.body?.message?.vi ?? `HTTP ${answer.status}` };
  await recordAction(deps, {
    operatorId: input.operator.operatorId,
    username: input.operator.username,
    action: `mailbox.alias_${input.change}`,
    target: input.mailboxId,
    outcome: result.outcome === 'done' ? 'ok' : 'refused',
    details: {
      alias,
      reason: input.reason,
      ...(result.outcome === 'refused' ? { message: result.message } : {}),
    },
    clientIp: input.clientIp,
  });
  return result;
}
