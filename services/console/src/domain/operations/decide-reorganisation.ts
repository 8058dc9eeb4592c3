// An operator approves a reorganisation plan, starts applying an approved one, or cancels one not
// yet being applied (computed, approved or scheduled for its date), through the directory's admin
// API under their own identity (the directory needs two different operators' approvals before an
// apply); the console records each action and its outcome in the audit chain.
import type { SessionRecord } from '../../db/session-repository.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';

export type ReorganisationDecision = 'approve' | 'apply' | 'cancel';

export type ReorganisationDecisionResult =
  | {
      outcome:
        | 'reorganisation_approved'
        | 'reorganisation_applying'
        | 'reorganisation_scheduled'
        | 'reorganisation_cancelled';
    }
  | {
      outcome: 'refused';
      code: 'reorganisation_refused' | 'reorganisation_cancel_refused';
      status: number;
      message: string;
    };

/** The directory's route of each decision under /admin/reorganisations/:id/. */
const ROUTE: Record<ReorganisationDecision, string> = {
  approve: 'approvals',
  apply: 'apply',
  cancel: 'cancel',
};

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
  const path = `/admin/reorganisations/${encodeURIComponent(input.id)}/${ROUTE[input.decision]}`;
  const reason = input.reason?.trim() || undefined;
  const answer = await deps.upstreams.directory.post<DirectoryAnswer>(
    path,
    input.decision === 'apply' ? {} : { reason: reason ?? '' },
    as,
  );
  const ok = answer.status >= 200 && answer.status < 300;
  const result: ReorganisationDecisionResult = ok
    ? {
        outcome:
          input.decision === 'approve'
            ? 'reorganisation_approved'
            : input.decision === 'cancel'
              ? 'reorganisation_cancelled'
              : // a plan dated in the future waits for its date in the directory
                answer.body?.state === 'scheduled'
                ? 'reorganisation_scheduled'
                : 'reorganisation_applying',
      }
    : {
        outcome: 'refused',
        code: input.decision === 'cancel' ? 'reorganisation_cancel_refused' : 'reorganisation_refused',
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
