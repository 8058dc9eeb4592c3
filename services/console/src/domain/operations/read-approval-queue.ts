// The approval queue as the requests service filters it (agency by abbreviation or id, letter
// number, request id), one page of it, with the names of the agencies the items belong to.
import type { ConsoleDeps } from '../deps.ts';
import type { PendingItem } from './approval-views.ts';
import { readAgencyNames } from './read-agency-names.ts';

export interface ApprovalQueueInput {
  agencyId?: string | undefined;
  requestId?: string | undefined;
  reference?: string | undefined;
  offset: number;
  limit: number;
}

export interface ApprovalQueue {
  items: PendingItem[];
  total: number;
  /** Agency id → its name, for every item's agency the directory knows. */
  names: Map<string, string>;
}

/** The agency an item is about: the unit named on the item, else the requesting agency. */
export const itemAgencyOf = (i: PendingItem) => i.itemAgencyId ?? i.agencyId;

export async function readApprovalQueue(
  deps: Pick<ConsoleDeps, 'upstreams'>,
  input: ApprovalQueueInput,
): Promise<ApprovalQueue> {
  const requestId = /^[0-9a-fA-F-]{36}$/.test(input.requestId ?? '') ? input.requestId : undefined;
  const answer = await deps.upstreams.requests.get<{ items: PendingItem[]; total: number }>(
    '/admin/approvals',
    {
      agencyId: input.agencyId?.trim() || undefined,
      reference: input.reference?.trim() || undefined,
      requestId,
      limit: String(input.limit),
      offset: String(input.offset),
    },
  );
  const { items, total } = answer.status === 200 ? answer.body : { items: [], total: 0 };
  const names = await readAgencyNames(deps, items.map(itemAgencyOf));
  return { items, total, names };
}
