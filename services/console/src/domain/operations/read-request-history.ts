// One request as the requests service tells it (its items, their approvals and history), with the
// names of the agencies it names; undefined when there is no such request.
import type { ConsoleDeps } from '../deps.ts';
import type { RequestHistory } from './approval-views.ts';
import { readAgencyNames } from './read-agency-names.ts';

export async function readRequestHistory(
  deps: Pick<ConsoleDeps, 'upstreams'>,
  input: { requestId: string },
): Promise<{ request: RequestHistory; names: Map<string, string> } | undefined> {
  const answer = await deps.upstreams.requests.get<RequestHistory>(`/admin/requests/${input.requestId}`);
  if (answer.status !== 200) return undefined;
  const r = answer.body;
  const names = await readAgencyNames(deps, [r.agencyId, ...r.items.map((i) => i.agencyId ?? r.agencyId)]);
  return { request: r, names };
}
