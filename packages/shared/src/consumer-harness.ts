// A consumer without Kafka, for component tests: events go straight to the consumer's own handler
// through the inbox's one-event transaction (handleEventOnce: the inbox row and the handler's
// effects commit together, a redelivered event is skipped), on the test's database, with whatever
// clock the handler's deps were built with. Each event is checked against its schema on the way,
// as the consumer checks what it reads from Kafka. Exported through `@hopthu/shared/testing`.
import type { Kysely } from 'kysely';
import { type AnyEnvelope, parseEvent } from './events.ts';
import { type EventHandler, handleEventOnce } from './inbox.ts';
import type { Logger } from './logger.ts';

export interface ConsumerHarness {
  /** Delivers the event as the topic's consumer would; 'duplicate' when it had it already. */
  deliver(topic: string, event: AnyEnvelope, key?: string): Promise<'handled' | 'duplicate'>;
}

export function createConsumerHarness<DB>(options: {
  db: Kysely<DB>;
  /** The consumer's name (its inbox rows), as in production or a test's own. */
  consumer: string;
  handle: EventHandler<DB>;
  logger: Logger;
}): ConsumerHarness {
  let offset = 0;
  return {
    async deliver(topic, event, key) {
      const message = {
        topic,
        partition: 0,
        offset: String(offset++),
        key: key ?? event.subject ?? null,
        value: Buffer.from(JSON.stringify(event)),
        headers: { 'ce-type': event.type, 'ce-id': event.id },
      };
      const logger = options.logger.child({ topic, eventId: event.id, eventType: event.type });
      const parsed = parseEvent(message.value);
      const fresh = await handleEventOnce(options, parsed, { logger, message, attempt: 1 });
      return fresh ? 'handled' : 'duplicate';
    },
  };
}
