// Results come back on hopthu.provisioning.results.v1 (from the provisioner, or from the directory
// for items it could not turn into commands). The item ends; when every item has ended, the
// request finishes and request.finished.v1 goes to the notifier.
import { buildEvent, type EventData, insertOutboxMessage, Topics } from '@hopthu/shared';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { deriveRequestStatus, isTerminal } from './request-status.ts';

export async function recordResult(
  trx: Transaction<Database>,
  publicUrl: string,
  result: EventData<'vn.gov.hopthu.provisioning.result.v1'>,
  correlationId?: string,
) {
  if (!result.itemId || !result.requestId) return;
  const item = await trx
    .selectFrom('request_items')
    .selectAll()
    .where('id', '=', result.itemId)
    .forUpdate()
    .executeTakeFirst();
  if (!item || isTerminal(item.status)) return;
  const to = result.outcome === 'failed' ? 'failed' : 'completed';
  await trx
    .updateTable('request_items')
    .set({
      status: to,
      result_address: result.address || item.address,
      reason: result.error ?? null,
      updated_at: new Date(),
    })
    .where('id', '=', item.id)
    .execute();
  await trx
    .insertInto('item_transitions')
    .values({
      item_id: item.id,
      from_status: item.status,
      to_status: to,
      actor: 'system:provisioning',
      reason: result.error ?? null,
    })
    .execute();
  if (to === 'failed')
    await trx.updateTable('credentials').set({ password_enc: null }).where('item_id', '=', item.id).execute();

  const request = await trx
    .selectFrom('requests')
    .selectAll()
    .where('id', '=', result.requestId)
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
          ...(i.result_address ? { address: i.result_address } : {}),
          ...(i.reason && i.status !== 'completed' ? { reason: i.reason } : {}),
          hasCredential: withCredential.has(i.id),
        })),
      },
      { source: 'hopthu/requests', subject: request.id, ...(correlationId ? { correlationId } : {}) },
    ),
  });
}
