// An operator changes the agency tree from the console: registers a unit, renames it, moves it
// under another parent or re-codes it (QĐ 20/2020/QĐ-TTg), from a date, through the directory's
// admin API under their own token (the directory records them in the unit's versions); or files
// its dissolution, a `dissolve_unit` request item in the requests service that two different
// operators must approve before the directory dissolves the unit and deletes its mailboxes. Every
// action needs a reason and is recorded, with its outcome, in the audit chain.
import { AppError } from '@hopthu/shared/errors';
import type { SessionRecord } from '../../db/session-repository.ts';
import type { UpstreamAnswer } from '../admin-api.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';

export interface NewAgency {
  province: string;
  name: string;
  abbreviation: string;
  unitType: string;
  parentId?: string | undefined;
  unitCode?: string | undefined;
}

export type AgencyAction =
  | { kind: 'create'; agency: NewAgency }
  | { kind: 'rename'; agencyId: string; name?: string; abbreviation?: string; effectiveFrom?: string }
  | { kind: 'move'; agencyId: string; parentId: string | null; effectiveFrom?: string }
  | { kind: 'recode'; agencyId: string; unitCode: string | null; effectiveFrom?: string }
  | { kind: 'dissolve'; agencyId: string; letterNumber: string };

export interface FieldProblem {
  field: string;
  message: { vi: string; en: string };
}

export type AgencyActionResult =
  | { outcome: 'done'; agencyId: string; requestId?: string }
  | { outcome: 'refused'; message: string; errors: FieldProblem[] };

interface Answer {
  agencyId?: string;
  id?: string;
  message?: { vi?: string };
  errors?: FieldProblem[];
}

export async function actOnAgency(
  deps: ConsoleDeps,
  input: {
    action: AgencyAction;
    reason: string;
    /** From the form: the same form sent twice registers or files once. */
    idempotencyKey: string;
    operator: SessionRecord;
    clientIp: string;
  },
): Promise<AgencyActionResult> {
  const reason = input.reason.trim();
  if (!reason) {
    throw new AppError(
      'validation_failed',
      { vi: 'Cần ghi lý do (trường "Lý do")', en: 'A reason is required' },
      { errors: [{ field: '/reason', message: { vi: 'bắt buộc', en: 'required' } }] },
    );
  }
  const { action } = input;
  const answer = await send(deps, input, reason);
  const ok = answer.status >= 200 && answer.status < 300;
  const result: AgencyActionResult = ok
    ? {
        outcome: 'done',
        agencyId: action.kind === 'create' ? String(answer.body?.agencyId ?? '') : action.agencyId,
        ...(action.kind === 'dissolve' && answer.body?.id ? { requestId: answer.body.id } : {}),
      }
    : {
        outcome: 'refused',
        message: answer.body?.message?.vi ?? `HTTP ${answer.status}`,
        errors: answer.body?.errors ?? [],
      };
  const { kind, ...details } = action;
  await recordAction(deps, {
    operatorId: input.operator.operatorId,
    username: input.operator.username,
    action: `agency.${kind}`,
    target: result.outcome === 'done' ? result.agencyId : 'agencyId' in action ? action.agencyId : undefined,
    outcome: ok ? 'ok' : 'refused',
    details: {
      ...('agency' in details ? details.agency : details),
      reason,
      ...(result.outcome === 'done' && result.requestId ? { requestId: result.requestId } : {}),
      ...(result.outcome === 'refused' ? { message: result.message } : {}),
    },
    clientIp: input.clientIp,
  });
  return result;
}

function send(
  deps: ConsoleDeps,
  input: { action: AgencyAction; idempotencyKey: string; operator: SessionRecord },
  reason: string,
): Promise<UpstreamAnswer<Answer>> {
  const { action } = input;
  const as = { name: input.operator.username, role: input.operator.role };
  const key = { 'idempotency-key': input.idempotencyKey };
  const directory = deps.upstreams.directory;
  switch (action.kind) {
    case 'create':
      return directory.post<Answer>('/admin/agencies', action.agency, as, key);
    case 'dissolve':
      // Mẫu 03 for the unit itself: two different operators approve it in the approvals queue
      return deps.upstreams.requests.post<Answer>(
        '/admin/operator-requests',
        {
          agencyId: action.agencyId,
          requester: { fullName: input.operator.displayName || input.operator.username },
          reference: { number: action.letterNumber, date: deps.clock.now().toISOString().slice(0, 10) },
          items: [{ operation: 'dissolve_unit', agencyId: action.agencyId, reason }],
        },
        as,
        key,
      );
    default: {
      const { kind: _kind, agencyId, ...change } = action;
      return directory.patch<Answer>(
        `/admin/agencies/${encodeURIComponent(agencyId)}`,
        { ...change, reason },
        as,
      );
    }
  }
}
