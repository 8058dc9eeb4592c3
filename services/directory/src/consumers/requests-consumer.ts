// Consumer `directory` of hopthu.requests.v1: each approved item, once (inbox), in the same
// transaction as its effects. A poison item is answered failed so its request still finishes.
import { type AnyEnvelope, type Envelope, type MessageBus, startInboxConsumer, Topics } from '@hopthu/shared';
import type { DirectoryDeps } from '../domain/deps.ts';
import { applyApprovedItem } from '../domain/items/apply-approved-item.ts';
import { publishItemResult } from '../domain/mailboxes/mailbox-events.ts';

const ITEM_APPROVED = 'vn.gov.hopthu.request.item.approved.v1';

export function startRequestsConsumer(deps: DirectoryDeps, bus: MessageBus) {
  return startInboxConsumer({
    bus,
    db: deps.db,
    consumer: 'directory',
    topics: [Topics.requests],
    logger: deps.logger,
    accepts: (type) => type === ITEM_APPROVED,
    handle: async (event, trx, ctx) => {
      if (event.type !== ITEM_APPROVED) return;
      await applyApprovedItem(
        trx,
        {
          newId: deps.newId,
          retiredHoldDays: deps.retiredHoldDays,
          renameAliasDays: deps.renameAliasDays,
          logger: ctx.logger,
          at: deps.clock.now(),
        },
        event,
      );
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
