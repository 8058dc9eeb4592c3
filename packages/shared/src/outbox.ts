// Transactional outbox: a use case writes its state change and its events in one transaction
// (insertOutboxMessage); the relay publishes pending rows in order with an idempotent producer
// and marks them processed only after the broker acknowledged them (at-least-once; consumers
// de-duplicate by event id through the inbox).
//
// One relay at a time per database holds a transaction-level advisory lock, so events leave in
// outbox order; rows are claimed with FOR UPDATE SKIP LOCKED and a processed flag, never by
// `id > last_seen` (ids become visible out of commit order). LISTEN/NOTIFY wakes the relay; a
// poll is the fallback because notifications can be lost.
import { type QueryExecutorProvider, sql } from 'kysely';
import pg from 'pg';
import type { AnyEnvelope, Envelope, EventType, Topic } from './events.ts';
import type { BusProducer } from './kafka.ts';
import type { Logger } from './logger.ts';
import { backoffDelay, sleep } from './retry.ts';

/**
 * W3C Trace Context for an event: every event of one request shares the trace (its id is the
 * correlation id, a uuid, without dashes) and each event is a span of its own (from its id), so a
 * tracing backend can lay a request's whole journey across the services on one time line.
 */
export function traceparentFor(correlationId: string, eventId: string): string | undefined {
  const trace = correlationId.replaceAll('-', '').toLowerCase();
  const span = eventId.replaceAll('-', '').toLowerCase().slice(0, 16);
  if (
    !/^[0-9a-f]{32}$/.test(trace) ||
    /^0+$/.test(trace) ||
    !/^[0-9a-f]{16}$/.test(span) ||
    /^0+$/.test(span)
  ) {
    return undefined;
  }
  return `00-${trace}-${span}-01`;
}

export async function insertOutboxMessage<T extends EventType>(
  db: QueryExecutorProvider,
  message: { topic: Topic; key: string; event: Envelope<T>; headers?: Record<string, string> },
): Promise<void> {
  const headers: Record<string, string> = {
    ...(message.headers ?? {}),
    'ce-type': message.event.type,
    'ce-id': message.event.id,
  };
  if (message.event.correlationid) {
    headers['x-correlation-id'] = message.event.correlationid;
    const traceparent = traceparentFor(message.event.correlationid, message.event.id);
    if (traceparent) headers.traceparent = traceparent;
  }
  await insertRawOutboxMessage(db, {
    id: message.event.id,
    topic: message.topic,
    key: message.key,
    payload: message.event,
    headers,
  });
}

/**
 * Outboxes a message that is not an event built here, e.g. a dead letter that republishes the
 * original message as it was read. `id` is the outbox row id (a uuid), `payload` any JSON value.
 */
export async function insertRawOutboxMessage(
  db: QueryExecutorProvider,
  message: { id: string; topic: Topic; key: string; payload: unknown; headers?: Record<string, string> },
): Promise<void> {
  await sql`
    INSERT INTO outbox (id, topic, key, payload, headers)
    VALUES (${message.id}, ${message.topic}, ${message.key}, ${JSON.stringify(message.payload)}::jsonb,
            ${JSON.stringify(message.headers ?? {})}::jsonb)`.execute(db);
}

export async function insertOutboxMessages(
  db: QueryExecutorProvider,
  messages: { topic: Topic; key: string; event: AnyEnvelope; headers?: Record<string, string> }[],
): Promise<void> {
  for (const m of messages) await insertOutboxMessage(db, m);
}

const RELAY_LOCK = 7_146_002_001; // advisory lock id: "one relay per database"

interface PendingRow {
  id: string;
  topic: string;
  key: string;
  payload: unknown;
  headers: Record<string, string>;
}

/** Publishes one batch. Returns how many rows were published (0 when idle or another relay holds the lock). */
export async function relayOutboxBatch(
  db: QueryExecutorProvider & {
    transaction(): { execute<R>(fn: (trx: QueryExecutorProvider) => Promise<R>): Promise<R> };
  },
  producer: BusProducer,
  batchSize = 200,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const lock = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${RELAY_LOCK}) AS ok`.execute(
      trx,
    );
    if (!lock.rows[0]?.ok) return 0;
    const { rows } = await sql<PendingRow>`
      SELECT id, topic, key, payload, headers FROM outbox
      WHERE processed_at IS NULL ORDER BY seq LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`.execute(trx);
    if (rows.length === 0) return 0;
    await producer.send(
      rows.map((r) => ({ topic: r.topic, key: r.key, value: JSON.stringify(r.payload), headers: r.headers })),
    );
    const ids = rows.map((r) => r.id);
    await sql`UPDATE outbox SET processed_at = now() WHERE id = ANY(${ids}::uuid[])`.execute(trx);
    return rows.length;
  });
}

export function startOutboxRelay(options: {
  db: Parameters<typeof relayOutboxBatch>[0];
  databaseUrl: string;
  producer: BusProducer;
  logger: Logger;
  pollMs?: number;
}): () => Promise<void> {
  const logger = options.logger.child({ component: 'outbox-relay' });
  let stopped = false;
  let wake: (() => void) | null = null;
  let listener: pg.Client | null = null;

  const listen = async () => {
    try {
      const client = new pg.Client({ connectionString: options.databaseUrl });
      client.on('error', () => {
        listener = null;
      });
      client.on('notification', () => wake?.());
      await client.connect();
      await client.query('LISTEN outbox');
      listener = client;
    } catch (err) {
      logger.warn({ err }, 'LISTEN failed; relying on polling');
    }
  };

  const loop = (async () => {
    await listen();
    let failures = 0;
    while (!stopped) {
      try {
        const n = await relayOutboxBatch(options.db, options.producer);
        failures = 0;
        if (n > 0) {
          logger.debug({ published: n }, 'outbox batch published');
          continue;
        }
        if (!listener) void listen();
      } catch (err) {
        failures++;
        logger.warn({ err, failures }, 'outbox relay failed; will retry');
        await sleep(backoffDelay(failures));
        continue;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, options.pollMs ?? 1000);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = null;
    }
  })();

  return async () => {
    stopped = true;
    wake?.();
    await loop;
    await listener?.end().catch(() => {});
  };
}
