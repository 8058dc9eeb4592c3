// An operator approves or dismisses one of the directory's proposals to reclaim an unused mailbox
// (regulations §6) through the directory's admin API, under their own user name (kept in the
// proposal and the mailbox's history), and the console records the action and its outcome.
import { AppError } from '@hopthu/shared/errors';
import type { SessionRecord } from '../../db/session-repository.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';

export interface DecideReclaimInput {
  proposalId: string;
  decision: 'approve' | 'dismiss';
  /** The dismissal's reason (required), or the approval's optional note. */
  reason?: string | undefined;
  operator: SessionRecord;
  clientIp: string;
}

export type DecideReclaimResult =
  | { outcome: 'reclaim_approved' | 'reclaim_dismissed'; address: string }
  | {
      outcome: 'refused';
      code: 'reclaim_not_open' | 'reclaim_not_found' | 'reclaim_invalid';
      message: string;
    };

interface ReclaimAnswer {
  address?: string;
  state?: string;
  message?: { vi?: string; en?: string };
}

export async function decideReclaim(
  deps: ConsoleDeps,
  input: DecideReclaimInput,
): Promise<DecideReclaimResult> {
  const reason = input.reason?.trim() || undefined;
  if (input.decision === 'dismiss' && !reason) {
    throw new AppError('validation_failed', {
      vi: 'Cần ghi lý do giữ lại hộp thư',
      en: 'A dismissal needs a reason',
    });
  }
  const path = `/admin/reclaims/${encodeURIComponent(input.proposalId)}/${input.decision}`;
  const answer = await deps.upstreams.directory.post<ReclaimAnswer>(
    path,
    {
      operator: input.operator.username,
      ...(reason ? (input.decision === 'dismiss' ? { reason } : { note: reason }) : {}),
    },
    { name: input.operator.username, role: input.operator.role },
  );
  const body = answer.body ?? {};
  const result: DecideReclaimResult =
    answer.status === 200
      ? {
          outcome: input.decision === 'approve' ? 'reclaim_approved' : 'reclaim_dismissed',
          address: body.address ?? '',
        }
      : {
          outcome: 'refused',
          code:
            answer.status === 404
              ? 'reclaim_not_found'
              : answer.status === 409
                ? 'reclaim_not_open'
                : 'reclaim_invalid',
          message: body.message?.vi ?? `HTTP ${answer.status}`,
        };
  await recordAction(deps, {
    operatorId: input.operator.operatorId,
    username: input.operator.username,
    action: `reclaim.${input.decision}`,
    target: input.proposalId,
    outcome: result.outcome === 'refused' ? 'refused' : 'ok',
    details: {
      ...(reason ? { [input.decision === 'dismiss' ? 'reason' : 'note']: reason } : {}),
      ...(result.outcome === 'refused'
        ? { code: result.code, status: answer.status }
        : { address: result.address }),
    },
    clientIp: input.clientIp,
  });
  return result;
}
