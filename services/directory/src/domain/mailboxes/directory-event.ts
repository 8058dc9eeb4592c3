// One way to put a directory event into the outbox of the caller's transaction: sourced from the
// directory, subjected and keyed by what it is about, at the change's time and correlation id.
import { buildEvent, type EventData, type EventType, type Topic } from '@hopthu/shared/events';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import type { ChangeContext, Db } from '../deps.ts';
import { EVENT_SOURCE } from '../deps.ts';

/** Outboxes one event keyed and subjected by `key`, at the change's time and correlation id. */
export async function outboxEvent<T extends EventType>(
  db: Db,
  topic: Topic,
  key: string,
  type: T,
  data: EventData<T>,
  ctx: ChangeContext,
): Promise<void> {
  await insertOutboxMessage(db, { topic, key, event: eventFor(key, type, data, ctx) });
}

export function eventFor<T extends EventType>(key: string, type: T, data: EventData<T>, ctx: ChangeContext) {
  return buildEvent(type, data, {
    source: EVENT_SOURCE,
    subject: key,
    correlationId: ctx.correlationId,
    time: ctx.at,
  });
}
