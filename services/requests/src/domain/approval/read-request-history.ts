// A request as operators see it: each item's state, approvals and every transition (who caused
// it and why). The agency's own view is GET /v1/requests/{id}, which adds the same history.
import type { Kysely } from 'kysely';
import { listItems, listTransitions } from '../../db/item-repository.ts';
import { findRequest } from '../../db/request-repository.ts';
import type { Database } from '../../db/schema.ts';

export interface TransitionView {
  from: string | null;
  to: string;
  actor: string;
  reason?: string;
  at: string;
}

export async function readItemTransitions(
  { db }: { db: Kysely<Database> },
  { itemIds }: { itemIds: string[] },
): Promise<Map<string, TransitionView[]>> {
  const byItem = new Map<string, TransitionView[]>();
  for (const t of await listTransitions(db, itemIds)) {
    const list = byItem.get(t.item_id) ?? [];
    list.push({
      from: t.from_status,
      to: t.to_status,
      actor: t.actor,
      ...(t.reason ? { reason: t.reason } : {}),
      at: new Date(t.at).toISOString(),
    });
    byItem.set(t.item_id, list);
  }
  return byItem;
}

export async function readRequestHistory(
  { db }: { db: Kysely<Database> },
  { requestId }: { requestId: string },
) {
  const request = await findRequest(db, requestId);
  if (!request) return undefined;
  const items = await listItems(db, requestId);
  const history = await readItemTransitions({ db }, { itemIds: items.map((i) => i.id) });
  return {
    id: request.id,
    status: request.status,
    province: request.province,
    agencyId: request.agency_id,
    clientId: request.client_id,
    reference: request.reference,
    requester: request.requester,
    receivedAt: new Date(request.received_at).toISOString(),
    dueAt: new Date(request.due_at).toISOString(),
    ...(request.finished_at ? { finishedAt: new Date(request.finished_at).toISOString() } : {}),
    items: items.map((i) => ({
      id: i.id,
      seq: i.seq,
      operation: i.operation,
      mailboxType: i.mailbox_type,
      agencyId: i.agency_id,
      status: i.status,
      ...(i.result_address || i.address ? { address: i.result_address ?? i.address } : {}),
      ...(i.reason ? { reason: i.reason } : {}),
      approvals: i.approvals,
      approvalsNeeded: i.approvals_needed,
      transitions: history.get(i.id) ?? [],
    })),
  };
}
