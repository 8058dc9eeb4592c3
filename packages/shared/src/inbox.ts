// Inbox consumer: the one consumer loop of the product. It takes the messages of a partition a
// batch at a time (up to `maxBatch`, in offset order), parses each CloudEvents envelope, then in
// ONE database transaction records every (consumer, event id) of the batch with one multi-row
// insert and runs the handler for each event not seen before, in order. The offset after the batch
// is committed only after that transaction. One transaction per batch instead of per message is
// what lets a burst of thousands of items through at the database's commit rate.
// A transaction takes no new event once it has run for 2 s (the rest of the batch goes into the
// next one), and the member heartbeats between events, so heavy events never cost it its place in
// the group; a rebalance met on the way abandons the batch, uncommitted.
//
// When the batch's transaction fails for any reason, nothing of it was kept: its messages are then
// handled one at a time, each in its own transaction, exactly as a batch of one, so a poison
// message is isolated and the others still pass.
//
// Failures: a transient error (database down, a timeout) is retried in place with backoff and
// jitter, which holds back that partition only and keeps per-key order. A poison message (not a
// valid event, a handler's PermanentError, or another error maxAttempts times) is parked first
// (parked_events, retried until stored: see parked-events.ts, from where an operator replays it),
// then goes to the consumer's `onPoison` if it has one (typically: mark the request item failed),
// and only then does the consumer move on.
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { type AnyEnvelope, InvalidEventError, parseEvent } from './events.ts';
import { type BusMessage, type ConsumerControls, GroupRebalancingError, type MessageBus } from './kafka.ts';
import type { Logger } from './logger.ts';
import { parkPoisonMessage, registerReplayableConsumer } from './parked-events.ts';
import { backoffDelay, sleep } from './retry.ts';

/** Thrown by a handler for a message that can never succeed. */
export class PermanentError extends Error {
  override name = 'PermanentError';
}

export interface HandlerContext {
  logger: Logger;
  message: BusMessage;
  attempt: number;
}

export type EventHandler<DB> = (
  event: AnyEnvelope,
  trx: Transaction<DB>,
  ctx: HandlerContext,
) => Promise<void>;

export interface PoisonInfo {
  message: BusMessage;
  event: AnyEnvelope | null;
  error: Error;
  attempts: number;
}

export interface InboxConsumerOptions<DB> {
  bus: MessageBus;
  db: Kysely<DB>;
  consumer: string;
  topics: string[];
  logger: Logger;
  handle: EventHandler<DB>;
  /**
   * Handles the not-yet-seen events of a batch together, in offset order, in the batch's one
   * transaction: for a consumer whose per-event work is a few small statements, set-wise writes
   * (one query for the batch instead of one per event) are what its throughput is made of. It
   * must have the same effects as `handle` applied to each event in turn. Without it the events
   * go through `handle` one by one; a message handled alone (after a failed batch) always does.
   */
  handleMany?: (events: { event: AnyEnvelope; ctx: HandlerContext }[], trx: Transaction<DB>) => Promise<void>;
  /** Event types to handle; others are acknowledged and skipped. Default: all. */
  accepts?: (type: string) => boolean;
  onPoison?: (info: PoisonInfo, db: Kysely<DB>) => Promise<void>;
  /** Attempts before an error that is not known to be transient counts as poison. */
  maxAttempts?: number;
  isTransient?: (err: unknown) => boolean;
  /** Events per transaction (default 100; 1 gives one transaction per message). */
  maxBatch?: number;
  /**
   * Partitions handled at once by this process (default 3), each holding one database connection
   * while its batch runs: a consumer whose work waits on round trips (the provisioner's two
   * databases) gains from more, up to its pool's size less what its HTTP side needs.
   */
  concurrency?: number;
}

/** A batch's transaction takes no new event after this long (heavy events, lock hold times). */
const BATCH_TIME_MS = 2_000;

const TRANSIENT_PG = /^(08|53|57P|40001|40P01)/; // connection, resources, shutdown, serialization, deadlock

export function isTransientError(err: unknown): boolean {
  if (err instanceof PermanentError || err instanceof InvalidEventError) return false;
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string' && TRANSIENT_PG.test(e.code)) return true;
  const msg = String(e?.message ?? '');
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|timeout|socket hang up|not connected|ENOTFOUND/i.test(
    msg,
  );
}

/**
 * One event in one transaction: its (consumer, event id) inbox row, then the handler's effects;
 * false, and nothing done, when the consumer has already handled that event. What the consumer
 * does for a message handled alone, and what a test's consumer harness delivers through.
 */
export async function handleEventOnce<DB>(
  options: Pick<InboxConsumerOptions<DB>, 'db' | 'consumer' | 'handle'>,
  event: AnyEnvelope,
  ctx: HandlerContext,
): Promise<boolean> {
  return options.db.transaction().execute((trx) => handleEventIn(trx, options, event, ctx));
}

/** handleEventOnce inside a transaction the caller holds (a parked event's replay marks it in the same one). */
export async function handleEventIn<DB>(
  trx: Transaction<DB>,
  options: Pick<InboxConsumerOptions<DB>, 'consumer' | 'handle'>,
  event: AnyEnvelope,
  ctx: HandlerContext,
): Promise<boolean> {
  const seen = await sql`
    INSERT INTO inbox (consumer, event_id, topic, event_type)
    VALUES (${options.consumer}, ${event.id}, ${ctx.message.topic}, ${event.type})
    ON CONFLICT DO NOTHING`.execute(trx);
  if (Number(seen.numAffectedRows ?? 0) === 0) return false;
  await options.handle(event, trx, ctx);
  return true;
}

export async function startInboxConsumer<DB>(
  options: InboxConsumerOptions<DB>,
): Promise<() => Promise<void>> {
  const base = options.logger.child({ consumer: options.consumer });
  const maxAttempts = options.maxAttempts ?? 5;
  const isTransient = options.isTransient ?? isTransientError;
  const unregister = registerReplayableConsumer(options.db, options.consumer, {
    handle: options.handle,
    accepts: options.accepts,
    logger: base,
  });

  /** Parks the message, then runs the consumer's onPoison: each retried until done, before the offset moves. */
  const poison = async (info: PoisonInfo, logger: Logger, controls: ConsumerControls) => {
    await withRetries(() => parkPoisonMessage(options.db, options.consumer, info), logger, controls);
    const { onPoison } = options;
    if (onPoison) await withRetries(() => onPoison(info, options.db), logger, controls);
  };

  const handleOne = async (message: BusMessage, controls: ConsumerControls): Promise<void> => {
    // A type this consumer does not take is acknowledged before its data is checked, so an event
    // type added later (known to the producer's schemas, not yet to this process) is no poison.
    if (options.accepts) {
      const type = peekEventType(message.value);
      if (type !== null && !options.accepts(type)) return;
    }
    let event: AnyEnvelope;
    try {
      event = parseEvent(message.value);
    } catch (err) {
      base.error({ err, topic: message.topic, offset: message.offset }, 'poison message: not a valid event');
      await poison({ message, event: null, error: err as Error, attempts: 1 }, base, controls);
      return;
    }
    if (options.accepts && !options.accepts(event.type)) return;
    const logger = eventLogger(base, message, event);
    for (let attempt = 1; ; attempt++) {
      try {
        const fresh = await handleEventOnce(options, event, { logger, message, attempt });
        if (!fresh) logger.debug('duplicate event skipped');
        return;
      } catch (err) {
        const transient = isTransient(err);
        if (!transient && attempt >= maxAttempts) {
          logger.error({ err, attempts: attempt }, 'giving up on event: poison');
          await poison({ message, event, error: err as Error, attempts: attempt }, logger, controls);
          return;
        }
        if (err instanceof PermanentError) {
          logger.error({ err }, 'permanent failure');
          await poison({ message, event, error: err, attempts: attempt }, logger, controls);
          return;
        }
        if (controls.stopping()) throw err; // leave the offset uncommitted; another member redoes it
        const delay = backoffDelay(attempt);
        logger.warn({ err, attempt, delay, transient }, 'handler failed; retrying in place');
        await pause(delay, controls);
      }
    }
  };

  /**
   * Runs the batch's events in order in one transaction, stopping after the event that takes it
   * past BATCH_TIME_MS (heavy events, e.g. bulk results, must not hold a transaction and the
   * partition for minutes). Returns how many of `pending` were handled and committed (at least one
   * when it succeeds), or 0 when it failed (nothing of it was kept).
   */
  const tryBatch = async (
    pending: { message: BusMessage; event: AnyEnvelope }[],
    controls: ConsumerControls,
  ): Promise<number> => {
    const first = new Map<string, { topic: string; type: string }>();
    for (const { message, event } of pending) {
      if (!first.has(event.id)) first.set(event.id, { topic: message.topic, type: event.type });
    }
    const ids = [...first.keys()];
    try {
      return await options.db.transaction().execute(async (trx) => {
        const started = Date.now();
        const { rows } = await sql<{ event_id: string }>`
          INSERT INTO inbox (consumer, event_id, topic, event_type)
          SELECT ${options.consumer}, e.id, e.topic, e.type
          FROM unnest(${ids}::text[], ${ids.map((id) => first.get(id)!.topic)}::text[],
                      ${ids.map((id) => first.get(id)!.type)}::text[]) AS e(id, topic, type)
          ON CONFLICT DO NOTHING
          RETURNING event_id`.execute(trx);
        const fresh = new Set(rows.map((r) => r.event_id));
        if (options.handleMany) {
          await controls.heartbeat();
          const events: { event: AnyEnvelope; ctx: HandlerContext }[] = [];
          for (const { message, event } of pending) {
            if (!fresh.delete(event.id)) continue; // seen before, or twice in this batch
            events.push({ event, ctx: { logger: eventLogger(base, message, event), message, attempt: 1 } });
          }
          if (events.length > 0) await options.handleMany(events, trx);
          return pending.length;
        }
        let handled = 0;
        for (const { message, event } of pending) {
          // a long batch must not cost this member its place in the group (session timeout), and a
          // rebalance must not wait for it: GroupRebalancingError rolls the batch back and leaves.
          // kafkajs sends at most one heartbeat per heartbeatInterval, so asking each time is cheap.
          await controls.heartbeat();
          handled++;
          const logger = eventLogger(base, message, event);
          if (!fresh.delete(event.id)) {
            logger.debug('duplicate event skipped');
          } else {
            await options.handle(event, trx, { logger, message, attempt: 1 });
          }
          if (Date.now() - started > BATCH_TIME_MS) break;
        }
        // the events not reached are not seen yet: their inbox rows go, the next batch takes them
        const notReached = pending.slice(handled).map((p) => p.event.id);
        const unseen = notReached.filter((id) => fresh.has(id));
        if (unseen.length > 0) {
          await sql`DELETE FROM inbox WHERE consumer = ${options.consumer} AND event_id = ANY(${unseen}::text[])`.execute(
            trx,
          );
        }
        return handled;
      });
    } catch (err) {
      if (err instanceof GroupRebalancingError) throw err; // nothing kept, nothing committed: rejoin
      base.warn(
        { err, events: pending.length, firstOffset: pending[0]?.message.offset },
        'batch failed; handling its events one at a time',
      );
      return 0;
    }
  };

  const handleBatch = async (messages: BusMessage[], controls: ConsumerControls): Promise<void> => {
    let pending: { message: BusMessage; event: AnyEnvelope }[] = [];
    const flush = async () => {
      let run = pending;
      pending = [];
      while (run.length > 1) {
        const handled = await tryBatch(run, controls);
        if (handled === 0) break; // failed: what is left goes one at a time
        await controls.handledUpTo?.(run[handled - 1]!.message.offset);
        run = run.slice(handled);
      }
      for (const { message } of run) {
        await handleOne(message, controls);
        await controls.handledUpTo?.(message.offset);
      }
    };
    for (const message of messages) {
      if (options.accepts) {
        const type = peekEventType(message.value);
        if (type !== null && !options.accepts(type)) continue;
      }
      let event: AnyEnvelope;
      try {
        event = parseEvent(message.value);
      } catch {
        // in order: what came before is handled first, then this one alone (it is poison)
        await flush();
        await handleOne(message, controls);
        continue;
      }
      if (options.accepts && !options.accepts(event.type)) continue;
      pending.push({ message, event });
    }
    await flush();
  };

  const maxBatch = options.maxBatch ?? 100;
  const stop = await options.bus
    .runConsumer({
      groupId: options.consumer,
      topics: options.topics,
      handle: handleOne,
      maxBatch,
      ...(maxBatch > 1 ? { handleBatch } : {}),
      ...(options.concurrency ? { partitionsConsumedConcurrently: options.concurrency } : {}),
    })
    .catch((err: unknown) => {
      unregister();
      throw err;
    });
  return async () => {
    unregister();
    await stop();
  };
}

function eventLogger(base: Logger, message: BusMessage, event: AnyEnvelope): Logger {
  return base.child({
    topic: message.topic,
    eventId: event.id,
    eventType: event.type,
    correlationId: event.correlationid,
  });
}

/** The `type` of a CloudEvents envelope, or null when the message is not one (parseEvent says why). */
function peekEventType(raw: Buffer | null): string | null {
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw.toString('utf8')) as { specversion?: unknown; type?: unknown };
    return value?.specversion === '1.0' && typeof value.type === 'string' ? value.type : null;
  } catch {
    return null;
  }
}

/**
 * Waits between attempts while still heartbeating, in slices shorter than the consumer's
 * session timeout, so a long backoff never gets this member thrown out of its group.
 */
async function pause(ms: number, controls: { heartbeat(): Promise<void>; stopping(): boolean }) {
  const end = Date.now() + ms;
  for (let left = ms; left > 0 && !controls.stopping(); left = end - Date.now()) {
    await sleep(Math.min(left, 2_000));
    await controls.heartbeat().catch(() => {});
  }
}

/** Runs a side effect until it succeeds (used for dead-lettering: it must not be lost either). */
async function withRetries(
  fn: () => Promise<void>,
  logger: Logger,
  controls: { heartbeat(): Promise<void>; stopping(): boolean },
) {
  for (let attempt = 1; ; attempt++) {
    try {
      await fn();
      return;
    } catch (err) {
      if (controls.stopping()) throw err;
      logger.warn({ err, attempt }, 'poison handling failed; retrying');
      await pause(backoffDelay(attempt), controls);
    }
  }
}
