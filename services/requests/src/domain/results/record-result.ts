// Results come back on hopthu.provisioning.results.v1 (from the provisioner, or from the directory
// for items it could not turn into commands). The item ends; when every item has ended, the
// request finishes and request.finished.v1 goes to the notifier.
import type { EventData } from '@hopthu/shared';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { isTerminal } from '../requests/request-status.ts';
import { settleRequest } from '../requests/settle-request.ts';

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

  await settleRequest(trx, publicUrl, result.requestId, correlationId);
}
