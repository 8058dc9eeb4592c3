// Consumer `directory` of hopthu.requests.v1: each event once (inbox), in the same transaction as
// its effects. request.submitted opens a rank batch where the province serves namesakes by rank;
// item.approved is applied (or staged for that batch); item.rejected counts towards the batch. A
// poison item is answered failed so its request still finishes.
// A batch of events (up to 100 in one inbox transaction) goes through handleMany: its runs of plain
// personal creates are applied set-wise (apply-approved-items.ts: a few statements per run instead
// of about sixteen per item), every other event through the per-event handling below, in order.
import { type AnyEnvelope, type Envelope, Topics } from '@hopthu/shared/events';
import { type InboxConsumerOptions, startInboxConsumer } from '@hopthu/shared/inbox';
import type { MessageBus } from '@hopthu/shared/kafka';
import type { DirectoryDatabase } from '../db/schema.ts';
import type { DirectoryDeps } from '../domain/deps.ts';
import type { ApprovedEvent } from '../domain/items/apply-approved-items.ts';
import {
  applyApprovedItems,
  countItemSeen,
  handleApprovedItem,
  isSetWiseCreate,
  recordRequestSubmitted,
} from '../domain/items/ranked-batches.ts';
import { publishItemResult } from '../domain/items/publish-item-result.ts';
import { recordPasswordChange } from '../domain/passwords/record-password-change.ts';

const ITEM_APPROVED = 'vn.gov.hopthu.request.item.approved.v1';
const ITEM_REJECTED = 'vn.gov.hopthu.request.item.rejected.v1';
const SUBMITTED = 'vn.gov.hopthu.request.submitted.v1';
const PASSWORD_CHANGED = 'vn.gov.hopthu.selfservice.password.changed.v1';
const HANDLED: readonly string[] = [ITEM_APPROVED, ITEM_REJECTED, SUBMITTED, PASSWORD_CHANGED];

type Handlers = Pick<
  InboxConsumerOptions<DirectoryDatabase>,
  'accepts' | 'handle' | 'handleMany' | 'onPoison'
>;

/** The consumer's handling without Kafka (what the consumer, the tests and the bench run). */
export function requestsHandlers(deps: DirectoryDeps): Required<Handlers> {
  const handle: Handlers['handle'] = async (event, trx, ctx) => {
    // one time for everything this event changes, in the inbox's transaction
    const at = deps.clock.now();
    const inTrx = { ...deps, db: trx, logger: ctx.logger, clock: { now: () => at } };
    switch (event.type) {
      case SUBMITTED:
        await recordRequestSubmitted(inTrx, event.data);
        return;
      case ITEM_APPROVED:
        await handleApprovedItem(inTrx, event);
        return;
      case ITEM_REJECTED:
        await countItemSeen(inTrx, event.data.requestId);
        return;
      case PASSWORD_CHANGED:
        await recordPasswordChange(inTrx, event);
        return;
    }
  };
  const handleMany: NonNullable<Handlers['handleMany']> = async (events, trx) => {
    let i = 0;
    while (i < events.length) {
      let end = i;
      while (end < events.length && isSetWiseCreate(events[end]!.event)) end++;
      if (end === i) {
        const { event, ctx } = events[i]!;
        await handle(event, trx, ctx);
        i++;
        continue;
      }
      // a run of plain personal creates: the part that can go set-wise does, the item that stopped
      // it (a namesake the province leaves to an operator, a person already holding a mailbox…)
      // goes through the per-event handling, and the run goes on after it
      const run = events.slice(i, end);
      const applied = await applyApprovedItems(
        { ...deps, db: trx },
        run.map(({ event, ctx }) => ({ event: event as ApprovedEvent, logger: ctx.logger })),
      );
      i += applied;
      if (applied < run.length) {
        const { event, ctx } = events[i]!;
        await handle(event, trx, ctx);
        i++;
      }
    }
  };
  const onPoison: NonNullable<Handlers['onPoison']> = async (info, db) => {
    const event = info.event as AnyEnvelope | null;
    if (event?.type !== ITEM_APPROVED) return;
    const item = (event as Envelope<typeof ITEM_APPROVED>).data;
    await publishItemResult(
      db,
      deps.newId,
      item,
      {
        outcome: 'failed',
        reason: {
          vi: 'Lỗi nội bộ khi xử lý mục yêu cầu',
          en: `Internal error while processing the item: ${info.error.message}`,
        },
      },
      {
        at: deps.clock.now(),
        actor: 'directory',
        correlationId: event.correlationid,
        requestId: item.requestId,
        itemId: item.itemId,
        reason: null,
      },
    );
  };
  return { accepts: (type) => HANDLED.includes(type), handle, handleMany, onPoison };
}

export function startRequestsConsumer(deps: DirectoryDeps, bus: MessageBus) {
  return startInboxConsumer({
    bus,
    db: deps.db,
    consumer: 'directory',
    topics: [Topics.requests],
    logger: deps.logger,
    ...requestsHandlers(deps),
  });
}
