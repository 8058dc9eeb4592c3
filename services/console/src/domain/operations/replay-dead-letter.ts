// An operator replays a provisioning dead letter through the provisioner's admin API; the console
// records the action and its outcome.
import type { SessionRecord } from '../../db/session-repository.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';

export type ReplayResult =
  | { outcome: 'replayed'; replayEventId: string }
  | { outcome: 'refused'; status: number; message: string };

export async function replayDeadLetter(
  deps: ConsoleDeps,
  input: { id: string; operator: SessionRecord; clientIp: string },
): Promise<ReplayResult> {
  const answer = await deps.upstreams.provisioner.post<{
    replayEventId?: string;
    message?: { vi?: string };
  }>(`/admin/dead-letters/${encodeURIComponent(input.id)}/replay`, undefined, {
    name: input.operator.username,
    role: input.operator.role,
  });
  const result: ReplayResult =
    answer.status === 202
      ? { outcome: 'replayed', replayEventId: String(answer.body?.replayEventId ?? '') }
      : {
          outcome: 'refused',
          status: answer.status,
          message: answer.body?.message?.vi ?? `HTTP ${answer.status}`,
        };
  await recordAction(deps, {
    operatorId: input.operator.operatorId,
    username: input.operator.username,
    action: 'dead_letter.replay',
    target: input.id,
    outcome: result.outcome === 'replayed' ? 'ok' : 'refused',
    details:
      result.outcome === 'replayed' ? { replayEventId: result.replayEventId } : { status: result.status },
    clientIp: input.clientIp,
  });
  return result;
}
