// Transactional outbox: a use case writes its state change and its events in one transaction
// (insertOutboxMessage); the relay publishes pending rows in order with an idempotent producer
// and marks them processed only after the broker acknowledged them (at-least-once; consumers
// de-duplicate by event id through the inbox).
//
// One relay at a time per database holds a transaction-level advisory lock, so events leave in
// outbox order; rows are claimed with FOR UPDATE SKIP LOCKED and a processed flag, never by
// `id > last_seen` (ids become visible out of commit order). The lock and the claim are one
// statement, and the relay's own commit does not wait for the WAL flush (synchronous_commit off
// for that transaction only): a mark lost in a crash republishes, the inbox de-duplicates.
//
// Wake-ups stay in the process and come right after the commit: every connection of a database
// made by createDb (db.ts) watches its own statements (watchOutboxWrites), and once a transaction
// that inserted outbox rows has committed — or such an insert ran outside a transaction — it
// signals this process's relays, which look at once. A relay that is publishing when the signal
// comes keeps it and looks again before it sleeps, so no wake-up is lost; after a batch shorter
// than its batch size it does not look again unsignalled (every row committed before its claim
// was in it, and the rows committed since have signalled); a relay that finds the
// advisory lock held (another instance publishing) looks again shortly while signalled. A sweep
// every `pollMs` is the fallback for rows written by another process. An earlier relay was woken
// by the insert itself, before its transaction had committed: its first look found nothing and it
// then polled after 5, 10, 20 … ms, so a row waited about as long again as its transaction had
// taken (docs/performance.md). There is no NOTIFY: a `pg_notify` in the inserting transaction
// takes a lock that serialises the commits of the whole PostgreSQL cluster (every service's
// database), which capped the pipeline's commit rate.
import {
  type AbortableOperationOptions,
  type CompiledQuery,
  type DatabaseConnection,
  type QueryExecutorProvider,
  sql,
} from 'kysely';
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
  await insertRawOutboxMessage(db, {
    id: message.event.id,
    topic: message.topic,
    key: message.key,
    payload: message.event,
    headers: eventHeaders(message.event, message.headers),
  });
}

function eventHeaders(
  event: { id: string; correlationid?: string; type: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  const headers: Record<string, string> = { ...extra, 'ce-type': event.type, 'ce-id': event.id };
  if (event.correlationid) {
    headers['x-correlation-id'] = event.correlationid;
    const traceparent = traceparentFor(event.correlationid, event.id);
    if (traceparent) headers.traceparent = traceparent;
  }
  return headers;
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

/**
 * Many events in one statement (in the given order), e.g. one per item of a bulk request. The rows
 * travel as one JSON array taken apart by the server (jsonb_array_elements): a `text[]` parameter
 * of JSON payloads made pg escape every payload into an array literal, which was the largest part
 * of a 500-item POST's CPU (10–17 ms against 4–8 ms for 500 events).
 */
export async function insertOutboxMessages(
  db: QueryExecutorProvider,
  messages: { topic: Topic; key: string; event: AnyEnvelope; headers?: Record<string, string> }[],
): Promise<void> {
  for (let start = 0; start < messages.length; start += 1000) {
    const rows = messages.slice(start, start + 1000).map((m) => ({
      id: m.event.id,
      topic: m.topic,
      key: m.key,
      payload: m.event,
      headers: eventHeaders(m.event, m.headers),
    }));
    await sql`
      INSERT INTO outbox (id, topic, key, payload, headers)
      SELECT (r.v->>'id')::uuid, r.v->>'topic', r.v->>'key', r.v->'payload', r.v->'headers'
      FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb) WITH ORDINALITY AS r(v, n)
      ORDER BY r.n`.execute(db);
  }
}

const relaysOfThisProcess = new Set<() => void>();

/** Tells this process's relays that outbox rows were committed: they look at once. */
export function signalOutbox(): void {
  for (const wake of relaysOfThisProcess) wake();
}

/**
 * Calls `listener` each time this process has committed outbox rows (right after the COMMIT, as
 * the relays are woken); returns the unsubscribe. For what must act once a transaction's events
 * are durable, e.g. a long-poll answered as soon as its request's `request.finished` is committed.
 */
export function onOutboxCommitted(listener: () => void): () => void {
  relaysOfThisProcess.add(listener);
  return () => {
    relaysOfThisProcess.delete(listener);
  };
}

const OUTBOX_INSERT = /^\s*insert\s+into\s+"?outbox"?[\s(]/i;

/**
 * Makes a database connection signal the relays once outbox rows it wrote are committed: after
 * the COMMIT of a transaction that inserted into `outbox`, or after such an insert run on its own
 * (autocommit). Installed by createDb on every connection (kysely's onCreateConnection); it reads
 * the statements kysely sends (`begin`/`start transaction`, `commit`, `rollback`), never their
 * results. A rollback to a savepoint after the insert may leave a signal with nothing to publish:
 * the relay then looks once and finds nothing.
 */
export function watchOutboxWrites(connection: DatabaseConnection): void {
  const execute = connection.executeQuery.bind(connection);
  let inTransaction = false;
  let wroteOutbox = false;
  connection.executeQuery = async <R>(query: CompiledQuery, options?: AbortableOperationOptions) => {
    const statement = query.sql.trimStart().slice(0, 40).toLowerCase();
    const begins = statement === 'begin' || statement.startsWith('start transaction');
    const ends = statement === 'commit' || statement === 'rollback';
    const writes = OUTBOX_INSERT.test(query.sql);
    if (begins) {
      inTransaction = true;
      wroteOutbox = false;
    }
    try {
      const result = await execute<R>(query, options);
      if (writes) {
        if (inTransaction) wroteOutbox = true;
        else signalOutbox();
      }
      // a COMMIT of an aborted transaction answers ROLLBACK: nothing was written then
      const committed =
        statement === 'commit' && (result.rows[0] as { command?: string })?.command !== 'ROLLBACK';
      if (committed && wroteOutbox) signalOutbox();
      return result;
    } finally {
      if (ends) {
        inTransaction = false;
        wroteOutbox = false;
      }
    }
  };
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
  return Math.max(0, await relayBatch(db, producer, batchSize, null));
}

/** As relayOutboxBatch, but -1 when another relay holds the lock. */
async function relayBatch(
  db: Parameters<typeof relayOutboxBatch>[0],
  producer: BusProducer,
  batchSize: number,
  /** When the post-commit signal that woke this look came (ms), recorded with the rows for profiles. */
  wokenAt: number | null,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // One statement takes the relay's advisory lock and, holding it, claims the pending rows (two
    // round trips before); the snapshot may predate the lock, but FOR UPDATE re-reads each row's
    // latest version, so a row another relay marked meanwhile is not taken twice. The same
    // statement turns the WAL flush off for this transaction's commit: a mark lost in a crash only
    // publishes its rows again, which the consumers' inbox skips by event id.
    const claim = await sql<PendingRow & { ok: boolean }>`
      WITH l AS MATERIALIZED (
        SELECT pg_try_advisory_xact_lock(${RELAY_LOCK}) AS ok,
               set_config('synchronous_commit', 'off', true) AS sync
      )
      SELECT l.ok, o.id, o.topic, o.key, o.payload, o.headers
      FROM l LEFT JOIN LATERAL (
        SELECT id, topic, key, payload, headers, seq FROM outbox
        WHERE l.ok AND processed_at IS NULL ORDER BY seq LIMIT ${batchSize} FOR UPDATE SKIP LOCKED
      ) o ON true
      ORDER BY o.seq`.execute(trx);
    if (!claim.rows[0]?.ok) return -1;
    const rows = claim.rows.filter((r) => r.id !== null);
    if (rows.length === 0) return 0;
    await producer.send(
      rows.map((r) => ({ topic: r.topic, key: r.key, value: JSON.stringify(r.payload), headers: r.headers })),
    );
    const ids = rows.map((r) => r.id);
    // processed_at: this transaction's start; published_at: the broker's acknowledgement
    await sql`
      UPDATE outbox SET processed_at = now(), published_at = clock_timestamp(),
        woken_at = ${wokenAt === null ? null : new Date(wokenAt).toISOString()}::timestamptz
      WHERE id = ANY(${ids}::uuid[])`.execute(trx);
    return rows.length;
  });
}

export function startOutboxRelay(options: {
  db: Parameters<typeof relayOutboxBatch>[0];
  /** Kept for callers; the relay no longer LISTENs (see the top of this file). */
  databaseUrl?: string;
  producer: BusProducer;
  logger: Logger;
  /** The fallback sweep for rows written by another process (default 1 s). */
  pollMs?: number;
  /** Rows per relay transaction and producer request (default 200). */
  batchSize?: number;
}): () => Promise<void> {
  const logger = options.logger.child({ component: 'outbox-relay' });
  const pollMs = options.pollMs ?? 1000;
  const batchSize = options.batchSize ?? 200;
  let stopped = false;
  let signalled = false; // rows were committed since the last look began
  let signalledAt: number | null = null; // when the first of those signals came
  let wake: (() => void) | null = null;
  const onSignal = () => {
    signalledAt ??= Date.now();
    signalled = true;
    wake?.();
  };
  relaysOfThisProcess.add(onSignal);

  const loop = (async () => {
    let failures = 0;
    let busy = 0; // consecutive looks that found the lock held while rows were waiting
    while (!stopped) {
      const wasSignalled = signalled;
      const wokenAt: number | null = signalledAt;
      signalled = false;
      signalledAt = null;
      let wait = pollMs;
      try {
        const n = await relayBatch(options.db, options.producer, batchSize, wokenAt);
        failures = 0;
        if (n > 0) {
          busy = 0;
          logger.debug({ published: n }, 'outbox batch published');
          // A full batch may have left rows behind: look again. A shorter one took every row
          // committed before its claim; a row committed since then signalled (checked below), so
          // an empty look here would only hold the next commit's wake-up behind a transaction.
          if (n >= batchSize) continue;
        } else if (n < 0 && (wasSignalled || signalled || busy > 0)) {
          // another relay (instance) holds the lock; it may have claimed its rows before ours
          // committed, so look again soon rather than at the sweep
          wait = Math.min(10 * 2 ** busy++, pollMs);
          signalled = false;
          signalledAt ??= wokenAt;
        } else {
          busy = 0;
        }
      } catch (err) {
        failures++;
        logger.warn({ err, failures }, 'outbox relay failed; will retry');
        await sleep(backoffDelay(failures));
        continue;
      }
      if (signalled || stopped) continue; // committed while we looked: look again before sleeping
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
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
    relaysOfThisProcess.delete(onSignal);
    wake?.();
    await loop;
  };
}
