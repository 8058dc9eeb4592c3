// Nothing a consumer gives up on is lost: the requests service's directory consumer, which has no
// onPoison of its own, runs through the real inbox loop (startInboxConsumer, over an in-memory bus)
// on a database of this file's own. A directory state the replica refuses (a trigger raising an
// error, standing for any non-transient cause) and a message that is no event at all are parked
// before the consumer moves on; the operator routes the service kit mounts list them, refuse a
// replay while the cause is still there (the event stays parked with the new error), and once it
// is fixed handle it once: the agency is in the replica, a second replay is refused, and the same
// event delivered again is a duplicate.
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { createManualClock } from '@hopthu/shared/clock';
import { loadConfig } from '@hopthu/shared/config';
import { buildEvent, Topics } from '@hopthu/shared/events';
import { createHttpApp } from '@hopthu/shared/http';
import type { BusMessage, ConsumerOptions, MessageBus } from '@hopthu/shared/kafka';
import { localStackEnv } from '@hopthu/shared/local-env';
import { createLogger } from '@hopthu/shared/logger';
import { metricsRegistry } from '@hopthu/shared/metrics';
import { registerParkedEventRoutes } from '@hopthu/shared/parked-event-routes';
import { type ParkedEvent, watchParkedEvents } from '@hopthu/shared/parked-events';
import { createScratchDatabase, type ScratchDatabase } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitDepsOf } from '../src/app.ts';
import { ConfigSchema } from '../src/config.ts';
import { startDirectoryConsumer } from '../src/consumers/requests-consumers.ts';
import type { Database } from '../src/db/schema.ts';
import { createApprovalPolicies } from '../src/domain/approval/approval-policies.ts';

const clock = createManualClock(new Date('2030-12-03T03:00:00.000Z'));
const logger = createLogger('requests-parked-events', { level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const adminToken = randomBytes(24).toString('hex');
const auth = { authorization: `Bearer ${adminToken}` };
let scratch: ScratchDatabase<Database>;
let consumer: ConsumerOptions;
let stopConsumer: () => Promise<void>;
let startConsumer: () => Promise<void>;
let unwatch: () => void;
const app = createHttpApp({ logger });
let offset = 0;

/** The bus as the inbox loop sees it, its messages delivered by the test as Kafka would. */
const bus: MessageBus = {
  createProducer: async () => {
    throw new Error('not used');
  },
  runConsumer: async (options) => {
    consumer = options;
    return async () => {};
  },
  ensureTopics: async () => {},
  ping: async () => {},
};

async function deliver(
  value: string | Buffer,
  extra: Pick<BusMessage, 'key' | 'headers'> = { key: 'k', headers: {} },
): Promise<BusMessage> {
  const message: BusMessage = {
    topic: Topics.directory,
    partition: 0,
    offset: String(offset++),
    value: Buffer.isBuffer(value) ? value : Buffer.from(value),
    ...extra,
  };
  const controls = { heartbeat: async () => {}, stopping: () => false, handledUpTo: async () => {} };
  await (consumer.handleBatch ?? ((m, c) => consumer.handle(m[0]!, c)))([message], controls);
  return message;
}

const agencyId = `parked-${randomUUID()}`;
const agencyEvent = buildEvent(
  'vn.gov.hopthu.directory.agency.v1',
  {
    agencyId,
    province: 'bac-ninh',
    domain: 'tamgiu.bacninh.gov.vn',
    name: 'Sở Tạm giữ',
    abbreviation: 'stg',
    parentId: null,
    unitType: 'so',
    officialMailbox: null,
    ancestorIds: [agencyId],
  },
  { source: 'hopthu/directory', subject: agencyId, time: clock.now() },
);

const list = async (state: string) => {
  const res = await app.inject({ method: 'GET', url: `/admin/parked-events?state=${state}`, headers: auth });
  expect(res.statusCode).toBe(200);
  return res.json() as { parkedEvents: ParkedEvent[]; total: number };
};
const replay = (id: string, headers: Record<string, string> = { 'x-operator': 'an.nguyen' }) =>
  app.inject({
    method: 'POST',
    url: `/admin/parked-events/${id}/replay`,
    headers: { ...auth, ...headers },
    payload: {},
  });
const agencyRows = async () =>
  (
    await sql<{ n: number }>`SELECT count(*)::int AS n FROM agencies WHERE agency_id = ${agencyId}`.execute(
      scratch.db,
    )
  ).rows[0]!.n;

beforeAll(async () => {
  scratch = await createScratchDatabase<Database>({
    service: 'requests',
    migrationsPath: path.join(import.meta.dirname, '..', 'migrations'),
  });
  const config = loadConfig(ConfigSchema, { ...localStackEnv(), DATABASE_URL: scratch.url });
  const submit = submitDepsOf(config, {
    db: scratch.db,
    clock,
    newId: randomUUID,
    approvalPolicies: createApprovalPolicies(),
  });
  startConsumer = async () => {
    stopConsumer = await startDirectoryConsumer({ db: scratch.db, bus, logger, clock, submit });
  };
  await startConsumer();
  registerParkedEventRoutes(app, { db: scratch.db, adminToken });
  unwatch = watchParkedEvents(scratch.db);
  // the cause: the replica refuses this agency (any error that is neither transient nor passing)
  await sql`
    CREATE FUNCTION refuse_stg() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.abbreviation = 'stg' THEN RAISE EXCEPTION 'replica refuses stg'; END IF; RETURN NEW; END $$`.execute(
    scratch.db,
  );
  await sql`CREATE TRIGGER refuse_stg BEFORE INSERT OR UPDATE ON agencies FOR EACH ROW EXECUTE FUNCTION refuse_stg()`.execute(
    scratch.db,
  );
}, 60_000);

afterAll(async () => {
  unwatch?.();
  await stopConsumer?.();
  await app.close();
  await scratch?.drop();
});

describe('a poison event of a consumer without onPoison', () => {
  let parked: ParkedEvent;
  let malformed: ParkedEvent;

  it('when the handler keeps failing, then the event is parked before the consumer moves on, and counted', async () => {
    await deliver(JSON.stringify(agencyEvent));
    await deliver('{"not": "an event"');
    const open = await list('open');
    expect(open.total).toBe(2);
    malformed = open.parkedEvents.find((p) => p.eventId === null)!;
    parked = open.parkedEvents.find((p) => p.eventId === agencyEvent.id)!;
    expect(parked).toMatchObject({
      consumer: 'requests-directory',
      topic: Topics.directory,
      eventType: 'vn.gov.hopthu.directory.agency.v1',
      attempts: 5,
      replayedAt: null,
    });
    expect(parked.error).toContain('replica refuses stg');
    expect(malformed).toMatchObject({ consumer: 'requests-directory', attempts: 1, eventType: null });
    expect(malformed.error).toContain('InvalidEventError');
    expect(await agencyRows()).toBe(0);
    const gauge = await metricsRegistry.getSingleMetric('hopthu_parked_events')!.get();
    expect(gauge.values.find((v) => v.labels.consumer === 'requests-directory')?.value).toBe(2);
  });

  it('when it is replayed while the cause is still there, then 409 in both languages and it stays parked with the new error', async () => {
    const res = await replay(parked.id);
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json() as { title: string; detail?: string };
    expect(JSON.stringify(problem)).toContain('vẫn bị tạm giữ');
    expect(JSON.stringify(problem)).toContain('stays parked');
    const still = (await list('open')).parkedEvents.find((p) => p.id === parked.id)!;
    expect(still).toMatchObject({ replayedAt: null, replayAttempts: 1 });
    expect(still.lastReplayAt).not.toBeNull();
    expect(await agencyRows()).toBe(0);
  });

  it('when the replay names no operator, then 400 naming /operator and nothing changes', async () => {
    const res = await replay(parked.id, {});
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('/operator');
    expect((await list('open')).parkedEvents.find((p) => p.id === parked.id)?.replayAttempts).toBe(1);
  });

  it('when the cause is fixed, then the replay handles it once, marked with the operator; a second replay is refused', async () => {
    await sql`DROP TRIGGER refuse_stg ON agencies`.execute(scratch.db);
    const res = await replay(parked.id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: parked.id, outcome: 'handled', replayedBy: 'an.nguyen' });
    expect(await agencyRows()).toBe(1);
    const replayed = (await list('replayed')).parkedEvents;
    expect(replayed).toHaveLength(1);
    expect(replayed[0]).toMatchObject({ id: parked.id, replayedBy: 'an.nguyen', replayOutcome: 'handled' });

    const again = await replay(parked.id);
    expect(again.statusCode).toBe(409);
    expect(JSON.stringify(again.json())).toContain('already been replayed');
    // the event arriving again (a redelivery) is a duplicate for the inbox: nothing new is parked
    await deliver(JSON.stringify(agencyEvent));
    expect((await list('open')).total).toBe(1);
    expect(await agencyRows()).toBe(1);
  });

  it('when a message that is no event is replayed, then it stays parked; an unknown id is 404; no token is 401', async () => {
    const res = await replay(malformed.id);
    expect(res.statusCode).toBe(409);
    expect((await list('open')).parkedEvents.map((p) => p.id)).toEqual([malformed.id]);
    expect((await replay(randomUUID())).statusCode).toBe(404);
    const anonymous = await app.inject({ method: 'GET', url: '/admin/parked-events' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('when the consumer no longer runs in this process, then a replay is refused naming it and changes nothing', async () => {
    await stopConsumer();
    const res = await replay(malformed.id);
    expect(res.statusCode).toBe(409);
    expect(JSON.stringify(res.json())).toContain('requests-directory does not run in this process');
    expect((await list('open')).parkedEvents[0]).toMatchObject({ id: malformed.id, replayAttempts: 1 });
  });

  it('when an operator dismisses the message no code will read, then it is closed with the reason; without one it is 400 naming /reason', async () => {
    const dismiss = (payload: object) =>
      app.inject({
        method: 'POST',
        url: `/admin/parked-events/${malformed.id}/dismiss`,
        headers: { ...auth, 'x-operator': 'binh.tran' },
        payload,
      });
    const refused = await dismiss({ reason: '   ' });
    expect(refused.statusCode).toBe(400);
    expect(JSON.stringify(refused.json())).toContain('/reason');
    expect((await list('open')).total).toBe(1);
    const res = await dismiss({ reason: 'Lỗi của bên gửi, không phải sự kiện' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ outcome: 'dismissed', replayedBy: 'binh.tran' });
    expect((await list('open')).total).toBe(0);
    expect((await list('replayed')).parkedEvents.find((p) => p.id === malformed.id)).toMatchObject({
      replayOutcome: 'dismissed',
      dismissReason: 'Lỗi của bên gửi, không phải sự kiện',
    });
    expect((await dismiss({ reason: 'lần nữa' })).statusCode).toBe(409);
  });

  it('when the message is bytes no text column takes (not UTF-8, NUL in its key and headers), then it is still parked, its bytes as they came', async () => {
    await startConsumer();
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x7b]);
    const message = await deliver(bytes, { key: 'a\u0000b', headers: { 'x-trace': 'y\u0000z' } });
    const parked = (await list('open')).parkedEvents;
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ offset: message.offset, key: 'a\uFFFDb', eventId: null });
    const { rows } = await sql<{ raw: Buffer; payload: unknown }>`
      SELECT raw, payload FROM parked_events WHERE id = ${parked[0]!.id}`.execute(scratch.db);
    expect(rows[0]!.payload).toBeNull();
    expect(Buffer.compare(rows[0]!.raw, bytes)).toBe(0);
  });
});
