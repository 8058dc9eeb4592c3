// An operator approves a reorganisation plan, or starts applying an approved one, through the
// directory's admin API under their own identity (the directory needs two different operators'
// approvals before an apply); the console records each action and its outcome in the audit chain.
import type { SessionRecord } from '../../db/session-repository.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';

export type ReorganisationDecision = 'approve' | 'apply';

export type ReorganisationDecisionResult =
  | { outcome: 'reorganisation_approved' | 'reorganisation_applying' | 'reorganisation_scheduled' }
  | { outcome: 'refused'; code: 'reorganisation_refused'; status: number; message: string };

interface DirectoryAnswer {
  state?: string;
  message?: { vi?: string };
}

export async function decideReorganisation(
  deps: ConsoleDeps,
  input: {
    id: string;
    decision: ReorganisationDecision;
    reason?: string | undefined;
    operator: SessionRecord;
    clientIp: string;
  },
): Promise<ReorganisationDecisionResult> {
  const as = { name: input.operator.username, role: input.operator.role };
  const path = `/admin/reorganisations/${encodeURIComponent(input.id)}/${input.decision === 'approve' ? 'approvals' : 'apply'}`;
  const reason = input.reason?.trim() || undefined;
  const answer = await deps.upstreams.directory.post<DirectoryAnswer>(
    path,
    input.decision === 'approve' ? { reason: reason ?? '' } : {},
    as,
  );
  const ok = answer.status >= 200 && answer.status < 300;
  const result: ReorganisationDecisionResult = ok
    ? {
        outcome:
          input.decision === 'approve'
            ? 'reorganisation_approved'
            : // a plan dated in the future waits for its date in the directory
              answer.body?.state === 'scheduled'
              ? 'reorganisation_scheduled'
              : 'reorganisation_applying',
      }
    : {
        outcome: 'refused',
        code: 'reorganisation_refused',
        status: answer.status,
        message: answer.body?.message?.vi ?? `HTTP ${answer.status}`,
      };
  await recordAction(deps, {
    operatorId: input.operator.operatorId,
    username: input.operator.username,
    action: `reorganisation.${input.decision}`,
    target: input.id,
    outcome: ok ? 'ok' : 'refused',
    details: {
      ...(reason ? { reason } : {}),
      ...(result.outcome === 'refused' ? { status: result.status, code: result.message } : {}),
    },
    clientIp: input.clientIp,
  });
  return result;
}
