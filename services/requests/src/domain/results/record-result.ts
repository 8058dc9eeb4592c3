// Results come back on hopthu.provisioning.results.v1 (from the provisioner, or from the directory
// for items it could not turn into commands). The item ends; when every item has ended, the
// request finishes and request.finished.v1 goes to the notifier. Runs in the inbox consumer's
// transaction (given as `deps.db`), which records the events as handled together with their effects.
//
// A batch of results is recorded set-wise (the inbox's handleMany): its items locked, ended and
// given their transitions in one statement each, and each request it touches settled once, after
// all of them — a 500-item request's results no longer settle it 500 times. The effects are those
// of recording each result in turn: a result for an item already ended (earlier, or by a result
// before it in the batch) changes nothing.
import type { Clock } from '@hopthu/shared/clock';
import type { EventData } from '@hopthu/shared/events';
import type { Transaction } from 'kysely';
import { erasePasswords } from '../../db/credential-repository.ts';
import {
  type ItemResult,
  insertTransitions,
  lockItemsByIds,
  type NewTransition,
  updateItemResults,
} from '../../db/item-repository.ts';
import type { Database } from '../../db/schema.ts';
import { isTerminal } from '../requests/request-status.ts';
import { settleRequest } from '../requests/settle-request.ts';

export interface RecordResultDeps {
  /** The inbox consumer's transaction. */
  db: Transaction<Database>;
  clock: Clock;
  publicUrl: string;
}

export interface ResultInput {
  result: EventData<'vn.gov.hopthu.provisioning.result.v1'>;
  correlationId?: string | undefined;
}

export async function recordResult(deps: RecordResultDeps, input: ResultInput) {
  await recordResults(deps, [input]);
}

/** The results in the order they were read. */
export async function recordResults(deps: RecordResultDeps, inputs: readonly ResultInput[]) {
  const trx = deps.db;
  const ours = inputs.filter((i) => i.result.itemId && i.result.requestId);
  if (ours.length === 0) return;
  const items = new Map(
    (await lockItemsByIds(trx, [...new Set(ours.map((i) => i.result.itemId!))])).map((i) => [i.id, i]),
  );
  const now = deps.clock.now();
  const ended: ItemResult[] = [];
  const transitions: NewTransition[] = [];
  const failed: string[] = [];
  // each request once, with the correlation id of its last result, in the order first met
  const toSettle = new Map<string, string | undefined>();
  for (const { result, correlationId } of ours) {
    const item = items.get(result.itemId!);
    if (!item || isTerminal(item.status)) continue;
    const to = result.outcome === 'failed' ? 'failed' : 'completed';
    ended.push({
      itemId: item.id,
      status: to,
      resultAddress: result.address || item.address,
      // A failure says why it failed; a completed item keeps the reason the request gave.
      reason: result.error ?? item.reason,
    });
    transitions.push({
      itemId: item.id,
      from: item.status,
      to,
      actor: 'system:provisioning',
      reason: result.error ?? null,
      at: now,
    });
    if (to === 'failed') failed.push(item.id);
    item.status = to; // a second result for it in this batch finds it ended
    toSettle.set(result.requestId!, correlationId);
  }
  await updateItemResults(trx, ended, now);
  await insertTransitions(trx, transitions);
  await erasePasswords(trx, failed);
  // requests locked in id order, so two batches settling the same requests never deadlock
  for (const requestId of [...toSettle.keys()].sort())
    await settleRequest(deps, { requestId, correlationId: toSettle.get(requestId), now });
}
