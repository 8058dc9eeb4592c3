// Reads what the dashboard and the reports need from the services' admin APIs (the requests
// service's and the directory's summaries, the provisioner's dead letters), and the SLA rule of
// each province from the province policies.
import { listPolicies } from '@hopthu/naming';
import type { ConsoleDeps } from '../deps.ts';
import { UpstreamError } from '../admin-api.ts';
import type { AgencyFigures } from './annual-report.ts';
import type { RequestTimes, SlaDays } from './figures.ts';
import type { Period } from './period.ts';

/** Working days to answer a request, per province (its policy's SLA rule; 2 when unknown). */
export const slaDaysOfProvince: SlaDays = (province) =>
  listPolicies().find((p) => p.id === province)?.sla.workingDays ?? 2;

export interface RequestSummary {
  now: string;
  period: Period;
  open: number;
  dueToday: number;
  overdue: number;
  failedItems: number;
  requests: RequestTimes[];
  truncated: boolean;
}

export interface MailboxSummary {
  period: Period;
  activeSince: string;
  byState: Record<string, number>;
  byType: Record<string, number>;
  agencies: AgencyFigures[];
}

type Deps = Pick<ConsoleDeps, 'upstreams'>;

function answered<T>(service: string, answer: { status: number; body: T }): T {
  if (answer.status !== 200) throw new UpstreamError(service, `answered ${answer.status}`);
  return answer.body;
}

export async function readRequestSummary(
  deps: Deps,
  input: { period: Period; province?: string | undefined },
): Promise<RequestSummary> {
  const { period, province } = input;
  return answered(
    'requests',
    await deps.upstreams.requests.get<RequestSummary>('/admin/summary/requests', {
      from: period.from,
      to: period.to,
      province,
    }),
  );
}

export async function readMailboxSummary(
  deps: Deps,
  input: { period: Period; activeSince: string; province?: string | undefined },
): Promise<MailboxSummary> {
  const { period, activeSince, province } = input;
  return answered(
    'directory',
    await deps.upstreams.directory.get<MailboxSummary>('/admin/summary/mailboxes', {
      from: period.from,
      to: period.to,
      activeSince,
      province,
    }),
  );
}

/** The provinces a report can be limited to (their policies), by id and name. */
export const reportProvinces = () => listPolicies().map((p) => ({ id: p.id, name: p.name }));

/** Commands the provisioner could not apply, waiting for an operator. */
export async function countDeadLetters(deps: Deps): Promise<number> {
  const body = answered(
    'provisioner',
    await deps.upstreams.provisioner.get<{ total: number }>('/admin/dead-letters', {
      limit: '1',
      replayed: 'false',
    }),
  );
  return body.total;
}
