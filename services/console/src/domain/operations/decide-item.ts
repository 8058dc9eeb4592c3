// An operator approves or rejects a request item through the requests service's admin API, under
// their own user name (so its "two different operators" rule holds between real people), and the
// console records the action and its outcome.
import { AppError } from '@hopthu/shared/errors';
import type { SessionRecord } from '../../db/session-repository.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';

export interface DecideItemInput {
  requestId: string;
  itemId: string;
  decision: 'approve' | 'reject';
  reason?: string | undefined;
  operator: SessionRecord;
  clientIp: string;
}

export type DecideItemResult =
  | { outcome: 'approved' | 'approval_recorded' | 'rejected'; approvals: string[]; approvalsNeeded: number }
  | { outcome: 'refused'; code: 'same_operator' | 'not_pending' | 'not_found' | 'invalid'; message: string };

interface DecisionAnswer {
  status?: string;
  approvals?: string[];
  approvalsNeeded?: number;
  code?: string;
  message?: { vi?: string; en?: string };
}

export async function decideItem(deps: ConsoleDeps, input: DecideItemInput): Promise<DecideItemResult> {
  const reason = input.reason?.trim() || undefined;
  if (input.decision === 'reject' && !reason) {
    throw new AppError('validation_failed', {
      vi: 'Cần ghi lý do từ chối',
      en: 'A rejection needs a reason',
    });
  }
  const path = `/admin/requests/${encodeURIComponent(input.requestId)}/items/${encodeURIComponent(input.itemId)}/${input.decision}`;
  const answer = await deps.upstreams.requests.post<DecisionAnswer>(
    path,
    {
      operator: input.operator.username,
      ...(reason ? { reason } : {}),
    },
    { name: input.operator.username, role: input.operator.role },
  );
  const body = answer.body ?? {};
  let result: DecideItemResult;
  if (answer.status === 200) {
    const outcome =
      input.decision === 'reject'
        ? 'rejected'
        : body.status === 'approved'
          ? 'approved'
          : 'approval_recorded';
    result = { outcome, approvals: body.approvals ?? [], approvalsNeeded: body.approvalsNeeded ?? 0 };
  } else {
    const en = body.message?.en ?? '';
    const code =
      answer.status === 404
        ? 'not_found'
        : answer.status === 409 && en.includes('different operator')
          ? 'same_operator'
          : answer.status === 409
            ? 'not_pending'
            : 'invalid';
    result = { outcome: 'refused', code, message: body.message?.vi ?? `HTTP ${answer.status}` };
  }
  await recordAction(deps, {
    operatorId: input.operator.operatorId,
    username: input.operator.username,
    action: `approval.${input.decision}`,
    target: `${input.requestId}/${input.itemId}`,
    outcome: result.outcome === 'refused' ? 'refused' : 'ok',
    details: {
      ...(reason ? { reason } : {}),
      ...(result.outcome === 'refused'
        ? { code: result.code, status: answer.status }
        : { result: result.outcome, approvals: result.approvals }),
    },
    clientIp: input.clientIp,
  });
  return result;
}
