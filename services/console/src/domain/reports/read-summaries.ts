// Reads what the dashboard and the reports need from the services' admin APIs (the requests
// service's and the directory's summaries, the provisioner's dead letters). Each request comes with
// the deadline the requests service set (figures.ts judges the SLA by it).
import { listPolicies } from '@hopthu/naming';
import type { ConsoleDeps } from '../deps.ts';
import { UpstreamError } from '../admin-api.ts';
import type { AgencyFigures } from './annual-report.ts';
import type { RequestTimes } from './figures.ts';
import type { Period } from './period.ts';

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
