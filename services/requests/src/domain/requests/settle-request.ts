// After an item changed state: the request's status follows from its items; when every item has
// ended, the request finishes and request.finished.v1 goes (through the outbox, in the caller's
// transaction) to the notifier, which mails and posts the result with each item's reason.
import { buildEvent, insertOutboxMessage, Topics } from '@hopthu/shared';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { deriveRequestStatus, isTerminal } from './request-status.ts';

export async function settleRequest(
  trx: Transaction<Database>,
  publicUrl: string,
  requestId: string,
  correlationId?: string,
): Promise<void> {
  const request = await trx
    .selectFrom('requests')
    .selectAll()
    .where('id', '=', requestId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const items = await trx
    .selectFrom('request_items')
    .selectAll()
    .where('request_id', '=', request.id)
    .orderBy('seq')
    .execute();
  const status = deriveRequestStatus(items.map((i) => i.status as 'completed'));
  const finished = items.every((i) => isTerminal(i.status));
  await trx
    .updateTable('requests')
    .set({ status, updated_at: new Date(), finished_at: finished ? new Date() : null })
    .where('id', '=', request.id)
    .execute();
  if (!finished) return;
  const creds = await trx
    .selectFrom('credentials')
    .select('item_id')
    .where(
      'item_id',
      'in',
      items.map((i) => i.id),
    )
    .where('password_enc', 'is not', null)
    .execute();
  const withCredential = new Set(creds.map((c) => c.item_id));
  await insertOutboxMessage(trx, {
    topic: Topics.requests,
    key: request.id,
    event: buildEvent(
      'vn.gov.hopthu.request.finished.v1',
      {
        requestId: request.id,
        agencyId: request.agency_id,
        province: request.province,
        status,
        receivedAt: new Date(request.received_at).toISOString(),
        dueAt: new Date(request.due_at).toISOString(),
        finishedAt: new Date().toISOString(),
        reference: request.reference as { number: string; date: string },
        requestUrl: `${publicUrl}/v1/requests/${request.id}`,
        items: items.map((i) => ({
          itemId: i.id,
          operation: i.operation as 'create',
          mailboxType: i.mailbox_type as 'personal',
          status: i.status as 'completed',
          ...(i.result_address || i.address ? { address: (i.result_address ?? i.address) as string } : {}),
          ...(i.reason && i.status !== 'completed' ? { reason: i.reason } : {}),
          hasCredential: withCredential.has(i.id),
        })),
      },
      { source: 'hopthu/requests', subject: request.id, ...(correlationId ? { correlationId } : {}) },
    ),
  });
}
