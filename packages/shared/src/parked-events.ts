// Parked events: the shared dead-letter path of every inbox consumer. A message a consumer gives up
// on (not a valid event, a PermanentError, a non-transient error maxAttempts times) is written to
// `parked_events` in a statement of its own before its offset is committed (inbox.ts retries it
// until it is stored), so nothing accepted is lost whether the consumer has an `onPoison` or not.
// An operator lists them (GET /admin/parked-events) and, once the cause is fixed, replays one:
// the stored message is parsed again and handled through the consumer's own handler with the
// inbox's de-duplication (handleEventIn), in one transaction that also marks it replayed by that
// operator; a replay that fails again leaves it parked with the new error.
// The handlers replays need are the ones the consumers of this process run: startInboxConsumer
// registers each one here under its database and consumer name. A consumer that keeps its own
// record of what it gave up on (the provisioner's dead letters) registers onParkedEventReplayed to
// close that record in the same transaction as the replay.
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import client from 'prom-client';
import { newId } from './clock.ts';
import { AppError } from './errors.ts';
import { type AnyEnvelope, parseEvent } from './events.ts';
import type { EventHandler, HandlerContext } from './inbox.ts';
import type { BusMessage } from './kafka.ts';
import type { Logger } from './logger.ts';
import { collectOnScrape, metricsRegistry } from './metrics.ts';

/** What a consumer gave up on, as inbox.ts hands it over. */
export interface PoisonMessage {
  message: BusMessage;
  event: AnyEnvelope | null;
  error: Error;
  attempts: number;
}

/**
 * How a replay went: handled now, already handled before (inbox), a type the consumer skips, or
 * sent again as a new event by the consumer's own dead-letter path (the provisioner's dead letters).
 */
export type ReplayOutcome = 'handled' | 'duplicate' | 'skipped' | 'republished' | 'dismissed';

export interface ParkedEvent {
  id: string;
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  eventId: string | null;
  eventType: string | null;
  error: string;
  attempts: number;
  parkedAt: string;
  replayAttempts: number;
  lastReplayAt: string | null;
  replayedAt: string | null;
  replayedBy: string | null;
  replayOutcome: ReplayOutcome | null;
  /** Why an operator closed it without a replay (replayOutcome `dismissed`). */
  dismissReason: string | null;
}

export type ParkedState = 'open' | 'replayed' | 'all';

/** Any service's database: parked_events is the same table in each. */
// biome-ignore lint/suspicious/noExplicitAny: the table is the same in every service's database
export type AnyDb = Kysely<any>;

const parkedTotal = new client.Counter({
  name: 'hopthu_events_parked_total',
  help: 'Messages an inbox consumer gave up on and parked (parked_events), by consumer',
  labelNames: ['consumer'] as const,
  registers: [metricsRegistry],
});

/** Text PostgreSQL stores: NUL, which no text or jsonb column takes, becomes U+FFFD. */
const storable = (text: string) => text.replaceAll('\u0000', '\uFFFD');

/** Errors keep their message and name; a stack stays in the log. */
const errorText = (error: unknown) =>
  storable(error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 4000);

/** The message's value as JSON PostgreSQL takes (jsonb refuses \u0000), or null to keep its bytes. */
function jsonOf(value: Buffer | null): string | null {
  if (value === null) return null;
  try {
    const text = value.toString('utf8');
    JSON.parse(text);
    return text.includes('\\u0000') || !Buffer.from(text, 'utf8').equals(value) ? null : text;
  } catch {
    return null;
  }
}

/**
 * Keeps a poison message (its own statement, its own transaction). The same message parked again
 * (redelivered before its offset was committed) is kept once. Throws when the database fails:
 * the caller retries, and does not commit the offset until it is stored.
 */
export async function parkPoisonMessage(db: AnyDb, consumer: string, poison: PoisonMessage): Promise<void> {
  const { message, event } = poison;
  const json = jsonOf(message.value);
  // whatever a producer put in the key and headers must not keep the message from being stored
  const headers = Object.fromEntries(
    Object.entries(message.headers ?? {}).map(([k, v]) => [storable(k), storable(v)]),
  );
  const insert = (payload: string | null, raw: Buffer | null) =>
    sql`
    INSERT INTO parked_events (id, consumer, topic, partition, "offset", message_key, headers,
                               event_id, event_type, payload, raw, error, attempts)
    VALUES (${newId()}, ${consumer}, ${message.topic}, ${message.partition}, ${message.offset},
            ${message.key === null ? null : storable(message.key)}, ${JSON.stringify(headers)}::jsonb, ${event?.id ?? null},
            ${event?.type ?? null}, ${payload}::jsonb, ${raw}, ${errorText(poison.error)}, ${poison.attempts})
    ON CONFLICT (consumer, topic, partition, "offset") DO NOTHING`.execute(db);
  let result: Awaited<ReturnType<typeof insert>>;
  try {
    result = await insert(json, json === null ? message.value : null);
  } catch (err) {
    // JSON that jsonb refuses (an invalid escape): keep the bytes instead
    if (json === null || !/^22/.test(String((err as { code?: string }).code))) throw err;
    result = await insert(null, message.value);
  }
  if (Number(result.numAffectedRows ?? 0) > 0) parkedTotal.inc({ consumer });
}

/** What a replay needs of a running consumer. */
export interface ReplayableConsumer<DB> {
  handle: EventHandler<DB>;
  accepts?: ((type: string) => boolean) | undefined;
  logger: Logger;
}

const replayables = new WeakMap<object, Map<string, ReplayableConsumer<never>>>();

/** Called by startInboxConsumer: its handler may replay its parked events. Returns the undo. */
export function registerReplayableConsumer<DB>(
  db: Kysely<DB>,
  consumer: string,
  target: ReplayableConsumer<DB>,
): () => void {
  return registerUnder(replayables, db, consumer, target as unknown as ReplayableConsumer<never>);
}

/** `entry` under `db` and `consumer` in `registry`; the undo leaves a later registration in place. */
function registerUnder<T>(
  registry: WeakMap<object, Map<string, T>>,
  db: object,
  consumer: string,
  entry: T,
): () => void {
  let byName = registry.get(db);
  if (!byName) {
    byName = new Map();
    registry.set(db, byName);
  }
  byName.set(consumer, entry);
  return () => {
    if (byName.get(consumer) === entry) byName.delete(consumer);
  };
}

/** A parked event replayed successfully, as its consumer's replay hook is told in the replay's transaction. */
export interface ParkedReplay {
  parkedEventId: string;
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  eventId: string;
  eventType: string;
  outcome: Exclude<ReplayOutcome, 'republished' | 'dismissed'>;
  replayedBy: string;
}

/** What a consumer does with its own records of a message once its parked copy is replayed. */
export type ParkedReplayHook<DB> = (trx: Transaction<DB>, replay: ParkedReplay) => Promise<void>;

const replayHooks = new WeakMap<object, Map<string, ParkedReplayHook<never>>>();

/**
 * Called by a consumer that keeps its own record of the messages it gives up on (the provisioner's
 * dead letters): `hook` runs in the transaction of each successful replay of a parked event of
 * `consumer`, after it is marked replayed, so both records close together or neither does (a hook
 * that throws fails the replay, which leaves the event parked). Returns the undo.
 */
export function onParkedEventReplayed<DB>(
  db: Kysely<DB>,
  consumer: string,
  hook: ParkedReplayHook<DB>,
): () => void {
  return registerUnder(replayHooks, db, consumer, hook as unknown as ParkedReplayHook<never>);
}

interface Row {
  id: string;
  consumer: string;
  topic: string;
  partition: number;
  offset: number | string;
  message_key: string | null;
  headers: Record<string, string>;
  event_id: string | null;
  event_type: string | null;
  payload: unknown;
  raw: Buffer | null;
  error: string;
  attempts: number;
  parked_at: Date;
  replay_attempts: number;
  last_replay_at: Date | null;
  replayed_at: Date | null;
  replayed_by: string | null;
  replay_outcome: ReplayOutcome | null;
  dismiss_reason: string | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

function view(r: Row): ParkedEvent {
  return {
    id: r.id,
    consumer: r.consumer,
    topic: r.topic,
    partition: r.partition,
    offset: String(r.offset),
    key: r.message_key,
    eventId: r.event_id,
    eventType: r.event_type,
    error: r.error,
    attempts: r.attempts,
    parkedAt: r.parked_at.toISOString(),
    replayAttempts: r.replay_attempts,
    lastReplayAt: iso(r.last_replay_at),
    replayedAt: iso(r.replayed_at),
    replayedBy: r.replayed_by,
    replayOutcome: r.replay_outcome,
    dismissReason: r.dismiss_reason,
  };
}

const stateFilter = (state: ParkedState) =>
  state === 'open'
    ? sql`replayed_at IS NULL`
    : state === 'replayed'
      ? sql`replayed_at IS NOT NULL`
      : sql`TRUE`;

/** One page of parked events, newest first, and how many match in all. */
export async function listParkedEvents(
  db: AnyDb,
  filter: { state: ParkedState; consumer?: string | undefined; limit: number; offset: number },
): Promise<{ parkedEvents: ParkedEvent[]; total: number }> {
  const where = sql`${stateFilter(filter.state)} AND (${filter.consumer ?? null}::text IS NULL OR consumer = ${filter.consumer ?? null})`;
  const [page, count] = await Promise.all([
    sql<Row>`SELECT id, consumer, topic, partition, "offset", message_key, headers, event_id, event_type,
                    NULL AS payload, NULL AS raw, error, attempts, parked_at, replay_attempts,
                    last_replay_at, replayed_at, replayed_by, replay_outcome, dismiss_reason
             FROM parked_events WHERE ${where}
             ORDER BY parked_at DESC, id LIMIT ${filter.limit} OFFSET ${filter.offset}`.execute(db),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM parked_events WHERE ${where}`.execute(db),
  ]);
  return { parkedEvents: page.rows.map(view), total: count.rows[0]?.n ?? 0 };
}

/** The message as the consumer read it, rebuilt from the stored row. */
function messageOf(r: Row): BusMessage {
  const value =
    r.payload !== null && r.payload !== undefined ? Buffer.from(JSON.stringify(r.payload), 'utf8') : r.raw;
  return {
    topic: r.topic,
    partition: r.partition,
    offset: String(r.offset),
    key: r.message_key,
    value,
    headers: r.headers ?? {},
  };
}

const notFound = () =>
  new AppError('not_found', { vi: 'Không tìm thấy sự kiện bị tạm giữ', en: 'Parked event not found' });

const alreadyReplayed = () =>
  new AppError('conflict', {
    vi: 'Sự kiện này đã được xử lý lại hoặc đã đóng',
    en: 'This parked event has already been replayed or dismissed',
  });

/** The one-event inbox step (inbox.ts), passed in so this module does not import the consumer loop. */
export type HandleEventIn = <DB>(
  trx: Transaction<DB>,
  options: { consumer: string; handle: EventHandler<DB> },
  event: AnyEnvelope,
  ctx: HandlerContext,
) => Promise<boolean>;

/**
 * Replays a parked event through its consumer's handler, with the inbox's de-duplication, in one
 * transaction that marks it replayed by `operator`. A replay that fails leaves it parked with the
 * new error (409 naming it); one already replayed, or whose consumer does not run in this process,
 * is refused and changes nothing.
 */
export async function replayParkedEvent(
  db: AnyDb,
  handleEventIn: HandleEventIn,
  input: { id: string; operator: string },
): Promise<{ id: string; outcome: ReplayOutcome; replayedBy: string }> {
  const { rows } = await sql<Row>`SELECT * FROM parked_events WHERE id = ${input.id}`.execute(db);
  const row = rows[0];
  if (!row) throw notFound();
  if (row.replayed_at) throw alreadyReplayed();
  const target = replayables.get(db)?.get(row.consumer) as ReplayableConsumer<unknown> | undefined;
  if (!target) {
    throw new AppError('conflict', {
      vi: `Bộ tiêu thụ ${row.consumer} không chạy trong tiến trình này nên chưa thể xử lý lại`,
      en: `The consumer ${row.consumer} does not run in this process, so the event cannot be replayed here`,
    });
  }
  const message = messageOf(row);
  const logger = target.logger.child({
    consumer: row.consumer,
    parkedEventId: row.id,
    replayBy: input.operator,
  });
  try {
    const outcome = await db.transaction().execute(async (trx) => {
      // two replays at once: the second waits here, then finds it replayed
      const locked = await sql`
        SELECT id FROM parked_events WHERE id = ${row.id} AND replayed_at IS NULL FOR UPDATE`.execute(trx);
      if (locked.rows.length === 0) throw alreadyReplayed();
      const event = parseEvent(message.value);
      const result: ReplayOutcome =
        target.accepts && !target.accepts(event.type)
          ? 'skipped'
          : (await handleEventIn(trx, { consumer: row.consumer, handle: target.handle }, event, {
                logger: logger.child({ eventId: event.id, eventType: event.type }),
                message,
                attempt: row.attempts + 1,
              }))
            ? 'handled'
            : 'duplicate';
      await sql`
        UPDATE parked_events
        SET replayed_at = now(), replayed_by = ${input.operator}, replay_outcome = ${result},
            replay_attempts = replay_attempts + 1, last_replay_at = now(),
            event_id = ${event.id}, event_type = ${event.type}
        WHERE id = ${row.id}`.execute(trx);
      const hook = replayHooks.get(db)?.get(row.consumer) as ParkedReplayHook<unknown> | undefined;
      await hook?.(trx, {
        parkedEventId: row.id,
        consumer: row.consumer,
        topic: row.topic,
        partition: row.partition,
        offset: String(row.offset),
        eventId: event.id,
        eventType: event.type,
        outcome: result as ParkedReplay['outcome'],
        replayedBy: input.operator,
      });
      return result;
    });
    logger.info({ outcome }, 'parked event replayed');
    return { id: row.id, outcome, replayedBy: input.operator };
  } catch (err) {
    if (err instanceof AppError) throw err;
    const error = errorText(err);
    await sql`
      UPDATE parked_events
      SET error = ${error}, replay_attempts = replay_attempts + 1, last_replay_at = now()
      WHERE id = ${row.id} AND replayed_at IS NULL`.execute(db);
    logger.warn({ err }, 'parked event replay failed; it stays parked');
    throw new AppError(
      'conflict',
      {
        vi: `Xử lý lại vẫn lỗi, sự kiện vẫn bị tạm giữ: ${error}`,
        en: `The replay failed again; the event stays parked: ${error}`,
      },
      { extensions: { parkedEventId: row.id, error } },
    );
  }
}

/**
 * Closes a parked event without replaying it, keeping who and why: a message no code will ever read
 * (a producer's bug), or one the consumer's onPoison already answered (an item answered failed,
 * which a replay would act on again). It stays in the table; one already closed is refused.
 */
export async function dismissParkedEvent(
  db: AnyDb,
  input: { id: string; operator: string; reason: string },
): Promise<{ id: string; outcome: 'dismissed'; replayedBy: string }> {
  const result = await sql`
    UPDATE parked_events
    SET replayed_at = now(), replayed_by = ${input.operator}, replay_outcome = 'dismissed',
        dismiss_reason = ${input.reason}
    WHERE id = ${input.id} AND replayed_at IS NULL`.execute(db);
  if (Number(result.numAffectedRows ?? 0) === 0) {
    const { rows } = await sql`SELECT 1 FROM parked_events WHERE id = ${input.id}`.execute(db);
    throw rows.length === 0 ? notFound() : alreadyReplayed();
  }
  return { id: input.id, outcome: 'dismissed', replayedBy: input.operator };
}

/**
 * Closes the parked record of a message its consumer's own dead-letter path replayed (the
 * provisioner's dead letters re-publish a command as a new event): the message is then replayed
 * one way, and both records say so, so neither the page nor the gauge keeps it as open. In the
 * caller's transaction; nothing happens when it was not parked or is closed already.
 */
export async function markParkedMessageRepublished(
  db: AnyDb,
  message: { topic: string; partition: number; offset: string },
  replay: { replayedBy: string; at: Date },
): Promise<void> {
  await sql`
    UPDATE parked_events
    SET replayed_at = ${replay.at}, replayed_by = ${replay.replayedBy}, replay_outcome = 'republished',
        replay_attempts = replay_attempts + 1, last_replay_at = ${replay.at}
    WHERE topic = ${message.topic} AND partition = ${message.partition} AND "offset" = ${message.offset}
      AND replayed_at IS NULL`.execute(db);
}

/**
 * The gauge an operator's alert fires on: parked events not yet replayed, by consumer, read from
 * the database on scrape. Returns the unregister function.
 */
export function watchParkedEvents(db: AnyDb): () => void {
  return collectOnScrape(
    'hopthu_parked_events',
    'Messages parked by an inbox consumer and not yet replayed (parked_events), by consumer',
    ['consumer'],
    async () => {
      const { rows } = await sql<{ consumer: string; n: number }>`
        SELECT consumer, count(*)::int AS n FROM parked_events WHERE replayed_at IS NULL GROUP BY consumer`.execute(
        db,
      );
      return rows.map((r) => ({ labels: { consumer: r.consumer }, value: r.n }));
    },
  );
}
