// An operator acts on a mailbox from its page: lock it now (a hijacked mailbox, prohibited use:
// Bắc Ninh 4.2c), restore it, or reset its password on a report (Khánh Hòa 4.2, Đắk Nông 12.3: the
// new password is then opened once by an operator, see open-mailbox-credential.ts), or add or remove
// one of its aliases, or set or end its forward (manage-mailbox-links.ts). The action is filed as a request for the mailbox's
// agency through
// the requests service's admin API under the operator's own token, so the province's approval
// rules, the item history, the events and exactly-once (the form's idempotency key) apply as to an
// agency's request; the console records the action and its outcome in the audit chain.
import { AppError } from '@hopthu/shared/errors';
import type { SessionRecord } from '../../db/session-repository.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';

/** restore_deleted: a deleted mailbox given back from retention before its purge day (restore-deleted-form.ts). */
export const MAILBOX_ACTIONS = ['suspend', 'restore', 'reset_password', 'restore_deleted'] as const;
export type MailboxAction = (typeof MAILBOX_ACTIONS)[number];
/** The alias operations of the request path, with the console's audit action for each. */
export const ALIAS_ACTIONS = {
  add_alias: 'mailbox.alias_add',
  remove_alias: 'mailbox.alias_remove',
} as const;
export type AliasAction = keyof typeof ALIAS_ACTIONS;
/** The forward operations of the request path (manage-mailbox-links.ts), with their audit actions. */
export const FORWARD_ACTIONS = {
  set_forward: 'mailbox.forward_set',
  clear_forward: 'mailbox.forward_clear',
} as const;
export type ForwardAction = keyof typeof FORWARD_ACTIONS;
const AUDIT_ACTIONS: Record<string, string> = { ...ALIAS_ACTIONS, ...FORWARD_ACTIONS };

export interface ActOnMailboxInput {
  mailboxId: string;
  address: string;
  agencyId: string;
  action: MailboxAction | AliasAction | ForwardAction;
  /** add_alias, remove_alias: the alias. */
  alias?: string;
  /** set_forward: where the mailbox's mail is forwarded too. */
  forwardTo?: string;
  reason: string;
  /** From the form: the same form sent twice files one request. */
  idempotencyKey: string;
  operator: SessionRecord;
  clientIp: string;
}

export type ActOnMailboxResult =
  | { outcome: 'filed'; requestId: string; itemId: string; status: string }
  | { outcome: 'refused'; message: string };

export async function actOnMailbox(deps: ConsoleDeps, input: ActOnMailboxInput): Promise<ActOnMailboxResult> {
  const reason = input.reason.trim();
  if (!reason) {
    throw new AppError(
      'validation_failed',
      { vi: 'Cần ghi lý do (trường "Lý do")', en: 'A reason is required' },
      { errors: [{ field: '/reason', message: { vi: 'bắt buộc', en: 'required' } }] },
    );
  }
  const today = deps.clock.now().toISOString().slice(0, 10);
  const answer = await deps.upstreams.requests.post<{
    id?: string;
    status?: string;
    items?: { id: string }[];
    message?: { vi?: string };
    errors?: { message?: { vi?: string } }[];
  }>(
    '/admin/operator-requests',
    {
      agencyId: input.agencyId,
      requester: { fullName: input.operator.displayName || input.operator.username },
      reference: { number: `VH-${input.idempotencyKey.slice(0, 8)}`, date: today },
      items: [
        {
          operation: input.action,
          address: input.address,
          reason,
          ...(input.alias !== undefined ? { alias: input.alias } : {}),
          ...(input.forwardTo !== undefined ? { forwardTo: input.forwardTo } : {}),
        },
      ],
    },
    { name: input.operator.username, role: input.operator.role },
    { 'idempotency-key': input.idempotencyKey },
  );
  const result: ActOnMailboxResult =
    answer.status === 202 && answer.body?.id
      ? {
          outcome: 'filed',
          requestId: answer.body.id,
          itemId: String(answer.body.items?.[0]?.id ?? ''),
          status: String(answer.body.status ?? ''),
        }
      : {
          outcome: 'refused',
          // the field errors say what is wrong (an alias outside the province: the article)
          message: [answer.body?.message?.vi ?? `HTTP ${answer.status}`]
            .concat((answer.body?.errors ?? []).flatMap((e) => (e.message?.vi ? [e.message.vi] : [])))
            .join(': '),
        };
  await recordAction(deps, {
    operatorId: input.operator.operatorId,
    username: input.operator.username,
    action: AUDIT_ACTIONS[input.action] ?? `mailbox.${input.action}`,
    target: input.mailboxId,
    outcome: result.outcome === 'filed' ? 'ok' : 'refused',
    details: {
      address: input.address,
      ...(input.alias !== undefined ? { alias: input.alias } : {}),
      ...(input.forwardTo !== undefined ? { forwardTo: input.forwardTo } : {}),
      reason,
      ...(result.outcome === 'filed' ? { requestId: result.requestId } : { message: result.message }),
    },
    clientIp: input.clientIp,
  });
  return result;
}
