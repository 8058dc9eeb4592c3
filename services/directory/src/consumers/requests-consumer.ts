// Consumer `directory` of hopthu.requests.v1: each event once (inbox), in the same transaction as
// its effects. request.submitted opens a rank batch where the province serves namesakes by rank;
// item.approved is applied (or staged for that batch); item.rejected counts towards the batch. A
// poison item is answered failed so its request still finishes.
import { type AnyEnvelope, type Envelope, Topics } from '@hopthu/shared/events';
import { startInboxConsumer } from '@hopthu/shared/inbox';
import type { MessageBus } from '@hopthu/shared/kafka';
import type { DirectoryDeps } from '../domain/deps.ts';
import { countItemSeen, handleApprovedItem, recordRequestSubmitted } from '../domain/items/ranked-batches.ts';
import { publishItemResult } from '../domain/items/publish-item-result.ts';
import { recordPasswordChange } from '../domain/passwords/record-password-change.ts';

const ITEM_APPROVED = 'vn.gov.hopthu.request.item.approved.v1';
const ITEM_REJECTED = 'vn.gov.hopthu.request.item.rejected.v1';
const SUBMITTED = 'vn.gov.hopthu.request.submitted.v1';
const PASSWORD_CHANGED = 'vn.gov.hopthu.selfservice.password.changed.v1';
const HANDLED: readonly string[] = [ITEM_APPROVED, ITEM_REJECTED, SUBMITTED, PASSWORD_CHANGED];

export function startRequestsConsumer(deps: DirectoryDeps, bus: MessageBus) {
  return startInboxConsumer({
    bus,
    db: deps.db,
    consumer: 'directory',
    topics: [Topics.requests],
    logger: deps.logger,
    accepts: (type) => HANDLED.includes(type),
    handle: async (event, trx, ctx) => {
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
    },
    onPoison: async (info, db) => {
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
    },
  });
}
