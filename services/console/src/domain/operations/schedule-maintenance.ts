// An operator schedules planned downtime (Bắc Ninh Điều 10 khoản 2 điểm b) through the notifier's
// admin API under their own identity; the notifier checks the window against the provinces' rules
// and mails the notice. Accepted or refused, the action is recorded in the console's audit chain
// with the window, the provinces and, when accepted, how many agency mailboxes were sent the notice.
import type { SessionRecord } from '../../db/session-repository.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';

export interface MaintenanceProblem {
  field: string;
  message: { vi: string; en: string };
}

export type ScheduleMaintenanceResult =
  | { outcome: 'scheduled'; id: string; recipients: number }
  | { outcome: 'refused'; status: number; problems: MaintenanceProblem[] };

interface NotifierAnswer {
  id?: string;
  recipients?: number;
  errors?: MaintenanceProblem[];
  message?: { vi: string; en: string };
}

export async function scheduleMaintenanceAs(
  deps: ConsoleDeps,
  input: {
    /** Instants with their offset: `2026-12-12T22:00:00+07:00`. */
    startsAt: string;
    endsAt: string;
    reason: string;
    /** Only these provinces' agencies are told (and only their rules apply); absent: every province. */
    provinces?: string[] | undefined;
    operator: SessionRecord;
    clientIp: string;
  },
): Promise<ScheduleMaintenanceResult> {
  const { startsAt, endsAt, reason, provinces } = input;
  const answer = await deps.upstreams.notifier.post<NotifierAnswer>(
    '/admin/maintenance',
    { startsAt, endsAt, reason, operator: input.operator.username, ...(provinces ? { provinces } : {}) },
    { name: input.operator.username, role: input.operator.role },
  );
  const window = { startsAt, endsAt, reason, ...(provinces ? { provinces } : {}) };
  const result: ScheduleMaintenanceResult =
    answer.status === 201
      ? { outcome: 'scheduled', id: answer.body.id ?? '', recipients: answer.body.recipients ?? 0 }
      : {
          outcome: 'refused',
          status: answer.status,
          problems: answer.body?.errors ?? [
            {
              field: '/startsAt',
              message: answer.body?.message ?? {
                vi: 'Dịch vụ thông báo từ chối lịch này',
                en: 'The notifier refused this window',
              },
            },
          ],
        };
  await recordAction(deps, {
    operatorId: input.operator.operatorId,
    username: input.operator.username,
    action: 'maintenance.schedule',
    target: result.outcome === 'scheduled' ? `maintenance:${result.id}` : undefined,
    outcome: result.outcome === 'scheduled' ? 'ok' : 'refused',
    details:
      result.outcome === 'scheduled'
        ? { ...window, recipients: result.recipients }
        : { ...window, status: result.status, problems: result.problems.map((p) => p.message.vi) },
    clientIp: input.clientIp,
  });
  return result;
}
