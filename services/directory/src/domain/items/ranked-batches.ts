// Kiên Giang Điều 4 khoản 3: among namesakes of one request the higher rank keeps the plain form
// (tvnam.sttt) and the others are numbered (tvnam1.sttt); an existing holder is never renamed.
// Items of a request arrive as separate item.approved events, in request order on one partition
// (all keyed by the request id), right after the request.submitted event that gives the count.
// So in provinces whose policy serves by rank, personal creates are staged; when every item of the
// request has been seen (approved or rejected, counted against request.submitted's itemCount) the
// staged ones are handled in one go, highest rank first (servingOrder of @hopthu/naming). Where the
// count is never reached (some items wait for an operator's approval, or the submitted event was
// not seen) the batch is handled once it has settled for RANK_BATCH_SETTLE_MS. The rank is the
// item's `person.rank` when given, else derived from the position (rankOfPosition).
import { getPolicy, type NamingInput, rankOfPerson, servingOrder } from '@hopthu/naming';
import type { Envelope } from '@hopthu/shared/events';
import type { Logger } from '@hopthu/shared/logger';
import type { AnyEnvelope } from '@hopthu/shared/events';
import {
  countSeenItem,
  countSeenItems,
  deleteOldBatches,
  findSettledRequests,
  insertBatch,
  listStagedItemIds,
  stageItem,
  takeStagedItem,
  takeStagedItems,
} from '../../db/batch-repository.ts';
import type { DirectoryDeps } from '../deps.ts';
import { publishItemResult } from './publish-item-result.ts';
import { applyApprovedItem } from './apply-approved-item.ts';
import { applyPersonalCreates, isPlainPersonalCreate } from './apply-approved-items.ts';
import type { ItemDeps } from './item-outcome.ts';

type Approved = Envelope<'vn.gov.hopthu.request.item.approved.v1'>;

export function servesByRank(province: string): boolean {
  try {
    const { collision } = getPolicy(province);
    return collision.kind === 'numeric' && collision.rankPriority;
  } catch {
    return false;
  }
}

export async function recordRequestSubmitted(
  deps: Pick<ItemDeps, 'db' | 'clock'>,
  data: { requestId: string; province: string; itemCount: number },
): Promise<void> {
  if (!servesByRank(data.province)) return;
  await insertBatch(
    deps.db,
    { requestId: data.requestId, province: data.province, itemCount: data.itemCount },
    deps.clock.now(),
  );
}

/** An approved item: staged (rank-served personal create) or applied now; then the batch is counted. */
export async function handleApprovedItem(deps: ItemDeps, event: Approved): Promise<void> {
  const item = event.data;
  const ranked =
    servesByRank(item.province) && item.operation === 'create' && item.mailboxType === 'personal';
  if (ranked) {
    await stageItem(deps.db, { itemId: item.itemId, requestId: item.requestId, event }, deps.clock.now());
  } else {
    await applyApprovedItem(deps, { event });
  }
  await countItemSeen(deps, item.requestId);
}

/** One more item of the request seen (approved or rejected): a complete batch is handled now. */
export async function countItemSeen(deps: ItemDeps, requestId: string): Promise<void> {
  const batch = await countSeenItem(deps.db, requestId);
  if (batch && batch.seenCount >= batch.itemCount) await flushStagedRequest(deps, requestId);
}

/** A personal create applied as it comes (not staged for a rank batch): a consumer batch's runs of them go set-wise. */
export function isSetWiseCreate(event: AnyEnvelope): event is Approved {
  return isPlainPersonalCreate(event) && !servesByRank(event.data.province);
}

/**
 * handleApprovedItem for the leading isSetWiseCreate items of `items`, set-wise (applyPersonalCreates),
 * each counted towards its request's batch; how many. The item at that index, if any, is for the
 * caller to handle through handleApprovedItem before calling again with the rest.
 */
export async function applyApprovedItems(
  deps: Omit<ItemDeps, 'logger'>,
  items: readonly { event: Approved; logger: Logger }[],
): Promise<number> {
  const applied = await applyPersonalCreates(deps, items);
  const seen = new Map<string, number>();
  for (const { event } of items.slice(0, applied)) {
    seen.set(event.data.requestId, (seen.get(event.data.requestId) ?? 0) + 1);
  }
  const first = items[0];
  for (const batch of await countSeenItems(deps.db, seen)) {
    if (first && batch.seenCount >= batch.itemCount) {
      await flushStagedRequest({ ...deps, logger: first.logger }, batch.requestId);
    }
  }
  return applied;
}

/** Handles the staged items of a request, highest rank first; how many there were. */
export async function flushStagedRequest(deps: ItemDeps, requestId: string): Promise<number> {
  const events = (await takeStagedItems(deps.db, requestId)) as Approved[];
  if (events.length === 0) return 0;
  const first = events[0] as Approved;
  const policy = getPolicy(first.data.province);
  const inputs: NamingInput[] = events.map((e) => {
    const person = e.data.person;
    const rank = person ? rankOfPerson(person) : undefined;
    return {
      kind: 'personal',
      person: {
        familyName: person?.familyName ?? '',
        middleName: person?.middleName ?? '',
        givenName: person?.givenName ?? '',
        rank: rank ?? null,
      },
    };
  });
  const order = servingOrder(policy, inputs);
  deps.logger.info(
    { requestId, items: order.map((i) => (events[i] as Approved).data.itemId) },
    'serving staged items by rank',
  );
  await applyInOrder(
    deps,
    order.map((index) => events[index] as Approved),
  );
  return events.length;
}

/** Items applied in this order: runs of plain personal creates set-wise, the others one by one. */
async function applyInOrder(deps: ItemDeps, events: readonly Approved[]): Promise<void> {
  let i = 0;
  while (i < events.length) {
    // a run of at most a consumer batch's worth: an item that stops it has the rest drafted again
    let end = i;
    while (end < events.length && end - i < 100 && isPlainPersonalCreate(events[end] as Approved)) end++;
    if (end > i) {
      const run = events.slice(i, end);
      const applied = await applyPersonalCreates(
        deps,
        run.map((event) => ({ event, logger: deps.logger })),
      );
      i += applied;
      if (applied === run.length) continue;
    }
    await applyApprovedItem(deps, { event: events[i] as Approved });
    i++;
  }
}

/**
 * One pass of the settle sweep: batches whose newest item is older than the settle time are handled.
 * If a batch fails as a whole, its items are handled one by one, and an item that still fails is
 * answered failed, so no request waits forever.
 */
export async function flushSettledBatches(
  deps: DirectoryDeps,
  options: { settleMs: number; logger: Logger },
): Promise<number> {
  const now = deps.clock.now();
  const requests = await findSettledRequests(deps.db, new Date(now.getTime() - options.settleMs), 50);
  let handled = 0;
  const itemDeps = { ...deps, logger: options.logger };
  for (const requestId of requests) {
    try {
      handled += await deps.db
        .transaction()
        .execute((trx) => flushStagedRequest({ ...itemDeps, db: trx }, requestId));
    } catch (error) {
      options.logger.warn({ err: error, requestId }, 'staged batch failed; handling its items one by one');
      for (const itemId of await listStagedItemIds(deps.db, requestId)) {
        handled += await flushOne(itemDeps, itemId);
      }
    }
  }
  await deleteOldBatches(deps.db, new Date(now.getTime() - 7 * 24 * 3600 * 1000));
  return handled;
}

async function flushOne(deps: ItemDeps, itemId: string) {
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const event = (await takeStagedItem(trx, itemId)) as Approved | null;
      if (!event) return 0;
      await applyApprovedItem({ ...deps, db: trx }, { event });
      return 1;
    });
  } catch (error) {
    deps.logger.error({ err: error, itemId }, 'staged item failed; answering failed');
    return deps.db.transaction().execute(async (trx) => {
      const event = (await takeStagedItem(trx, itemId)) as Approved | null;
      if (!event) return 0;
      await publishItemResult(
        trx,
        deps.newId,
        event.data,
        {
          outcome: 'failed',
          reason: {
            vi: 'Lỗi nội bộ khi xử lý mục yêu cầu',
            en: `Internal error while processing the item: ${(error as Error).message}`,
          },
        },
        {
          at: deps.clock.now(),
          actor: 'directory',
          correlationId: event.correlationid,
          requestId: event.data.requestId,
          itemId: event.data.itemId,
          reason: null,
        },
      );
      return 1;
    });
  }
}
