// Results come back on hopthu.provisioning.results.v1 (from the provisioner, or from the directory
// for items it could not turn into commands). The item ends; when every item has ended, the
// request finishes and request.finished.v1 goes to the notifier. Runs in the inbox consumer's
// transaction (given as `deps.db`), which records the event as handled together with its effects.
import type { Clock } from '@hopthu/shared/clock';
import type { EventData } from '@hopthu/shared/events';
import type { Transaction } from 'kysely';
import { erasePassword } from '../../db/credential-repository.ts';
import { insertTransition, lockItemById, updateItemResult } from '../../db/item-repository.ts';
import type { Database } from '../../db/schema.ts';
import { isTerminal } from '../requests/request-status.ts';
import { settleRequest } from '../requests/settle-request.ts';

export interface RecordResultDeps {
  /** The inbox consumer's transaction. */
  db: Transaction<Database>;
  clock: Clock;
  publicUrl: string;
}

export async function recordResult(
  deps: RecordResultDeps,
  input: { result: EventData<'vn.gov.hopthu.provisioning.result.v1'>; correlationId?: string | undefined },
) {
  const trx = deps.db;
  const { result, correlationId } = input;
  if (!result.itemId || !result.requestId) return;
  const item = await lockItemById(trx, result.itemId);
  if (!item || isTerminal(item.status)) return;
  const now = deps.clock.now();
  const to = result.outcome === 'failed' ? 'failed' : 'completed';
  await updateItemResult(trx, item.id, {
    status: to,
    resultAddress: result.address || item.address,
    // A failure says why it failed; a completed item keeps the reason the request gave.
    reason: result.error ?? item.reason,
    at: now,
  });
  await insertTransition(trx, {
    itemId: item.id,
    from: item.status,
    to,
    actor: 'system:provisioning',
    reason: result.error ?? null,
    at: now,
  });
  if (to === 'failed') await erasePassword(trx, item.id);

  await settleRequest(deps, { requestId: result.requestId, correlationId, now });
}
