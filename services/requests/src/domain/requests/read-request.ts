// One of the agency's requests as it reads it (GET /v1/requests/{id}): each item's state, address,
// the person masked, the one-time credential link once the mailbox exists, the reason of an item
// that did not complete, and every transition of the item (who caused it and why).
import type { Kysely } from 'kysely';
import { findItemsWithCredential } from '../../db/credential-repository.ts';
import { listItems } from '../../db/item-repository.ts';
import { findRequest } from '../../db/request-repository.ts';
import type { Database } from '../../db/schema.ts';
import { readItemTransitions } from '../approval/read-request-history.ts';
import type { Principal } from '../auth/verify-access-token.ts';
import { maskedPerson } from '../validation/personal-data.ts';
import type { DataKeys } from '../secrets.ts';
import type { LateFiling } from '../validation/filing-deadline.ts';
import { requestNotFound } from './request-errors.ts';

export interface ReadRequestDeps {
  db: Kysely<Database>;
  dataKey: DataKeys;
  publicUrl: string;
}

export async function readRequest(
  deps: ReadRequestDeps,
  { principal, requestId }: { principal: Principal; requestId: string },
) {
  const { db } = deps;
  const r = await findRequest(db, requestId);
  if (!r || r.client_agency_id !== principal.agencyId) throw requestNotFound();
  const items = await listItems(db, r.id);
  const creds = await findItemsWithCredential(
    db,
    items.map((i) => i.id),
  );
  const history = await readItemTransitions({ db }, { itemIds: items.map((i) => i.id) });
  return {
    id: r.id,
    status: r.status,
    dueAt: (r.response as { dueAt: string }).dueAt,
    // false when the deadline crosses a year whose official holiday notice is not loaded yet
    dueConfirmed: r.due_confirmed,
    // filed later than the province allows after its decision (set at submit, kept with the answer)
    ...lateFilingOf(r.response),
    items: items.map((i) => ({
      id: i.id,
      operation: i.operation,
      status: i.status,
      ...(i.result_address || i.address ? { address: i.result_address ?? i.address } : {}),
      ...(i.person ? { person: maskedPerson(deps.dataKey, i) } : {}),
      ...(i.status === 'completed' && creds.has(i.id)
        ? { credentialUrl: `${deps.publicUrl}/v1/requests/${r.id}/items/${i.id}/credential` }
        : {}),
      ...(i.reason ? { reason: i.reason } : {}),
      history: history.get(i.id) ?? [],
    })),
  };
}

function lateFilingOf(response: unknown): { lateFiling?: LateFiling } {
  const late = (response as { lateFiling?: LateFiling } | null)?.lateFiling;
  return late ? { lateFiling: late } : {};
}
