// After an item changed state: the request's status follows from its items; when every item has
// ended, the request finishes and request.finished.v1 goes (through the outbox, in the caller's
// transaction) to the notifier, which mails and posts the result with each item's reason. A step
// of the use case that changed the item: in its transaction (`deps.db`) and at its time (`now`).
import { buildEvent, type ItemStatus, Topics } from '@hopthu/shared/events';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import type { Transaction } from 'kysely';
import { countItemsByStatus, listItemsWithUnopenedCredential } from '../../db/item-repository.ts';
import { lockRequest, updateRequestStatus } from '../../db/request-repository.ts';
import type { Database } from '../../db/schema.ts';
import { markRequestEnding } from './request-end-signal.ts';
import { deriveRequestStatus, isTerminal } from './request-status.ts';

export async function settleRequest(
  deps: { db: Transaction<Database>; publicUrl: string },
  input: { requestId: string; correlationId?: string | undefined; now: Date },
): Promise<void> {
  const { requestId, correlationId, now } = input;
  const { db: trx, publicUrl } = deps;
  const request = await lockRequest(trx, requestId);
  // counted per status in the database: a result of a 500-item request no longer reads the 500
  // items into this process (which made settling a request quadratic in its items); only its
  // end reads them, once, for request.finished. The statuses' presence is all the status needs.
  const counts = await countItemsByStatus(trx, request.id);
  const present = [...counts.keys()] as ItemStatus[];
  const status = deriveRequestStatus(present);
  const finished = present.every((s) => isTerminal(s));
  if (status !== request.status || finished)
    await updateRequestStatus(trx, request.id, {
      status,
      finishedAt: finished ? now : null,
      at: now,
    });
  if (!finished) return;
  markRequestEnding(request.id);
  // the items with whether a credential waits for each, in one statement
  const items = await listItemsWithUnopenedCredential(trx, request.id);
  await insertOutboxMessage(trx, {
    topic: Topics.requests,
    key: request.id,
    event: buildEvent(
      'vn.gov.hopthu.request.finished.v1',
      {
        requestId: request.id,
        agencyId: request.agency_id,
        // a parent that filed for its sub-unit gets the result (the notifier copies the sub-unit)
        ...(request.client_agency_id !== request.agency_id
          ? { filerAgencyId: request.client_agency_id }
          : {}),
        province: request.province,
        status,
        receivedAt: new Date(request.received_at).toISOString(),
        dueAt: new Date(request.due_at).toISOString(),
        finishedAt: now.toISOString(),
        reference: request.reference as { number: string; date: string },
        requestUrl: `${publicUrl}/v1/requests/${request.id}`,
        items: items.map((i) => ({
          itemId: i.id,
          operation: i.operation as 'create',
          mailboxType: i.mailbox_type as 'personal',
          status: i.status as 'completed',
          ...(i.result_address || i.address ? { address: (i.result_address ?? i.address) as string } : {}),
          ...(i.reason && i.status !== 'completed' ? { reason: i.reason } : {}),
          hasCredential: Boolean(i.has_unopened_credential),
        })),
      },
      { source: 'hopthu/requests', subject: request.id, ...(correlationId ? { correlationId } : {}) },
    ),
  });
}
