// Deadline timers on the real database and mail server: warnings fire when half the time is gone,
// on the morning of the due day and at the breach, each exactly once, also when the notifier was
// stopped across the due time. Time is moved by a test clock, never by sleeping.
import { randomUUID } from 'node:crypto';
import { createManualClock, newId } from '@hopthu/shared/clock';
import { buildEvent, type EventData, Topics } from '@hopthu/shared/events';
import { waitFor } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDeadline, listWarnings, type WarningView } from '../src/db/deadline-repository.ts';
import { listDeliveries } from '../src/db/delivery-repository.ts';
import { fireDueTimers } from '../src/domain/deadlines/fire-due-timers.ts';
import { scheduleDeadline } from '../src/domain/deadlines/schedule-deadline.ts';
import { recordRequestFinished } from '../src/domain/results/record-request-finished.ts';
import {
  admin,
  createPublisher,
  createScratchDatabase,
  createTestMailbox,
  deleteTestMailbox,
  ensureNotifier,
  halfTimePassed,
  freePort,
  logger,
  readInbox,
  startNotifierProcess,
} from './helpers.ts';

type Submitted = EventData<'vn.gov.hopthu.request.submitted.v1'>;

function buildSubmitted(overrides: Partial<Submitted> = {}): Submitted {
  return {
    requestId: randomUUID(),
    agencyId: `nt-agency-${randomUUID()}`,
    province: 'bac-ninh',
    // Friday 09:00, due 24:00 Tuesday (00:00+07:00 Wednesday): two working days after a weekend
    receivedAt: '2030-11-22T02:00:00.000Z',
    dueAt: '2030-11-26T17:00:00.000Z',
    reference: { number: `${Math.floor(Math.random() * 100_000)}/UBND-VP`, date: '2030-11-22' },
    itemCount: 1,
    ...overrides,
  };
}
// With the dates above: half the time is gone on Sunday 24/11 16:30+07, outside office hours, so
// the half-time warning comes at the last office hour before it, Friday 22/11 16:00+07; the
// due-day morning is Tuesday 26/11 08:00+07.
const HALF = new Date('2030-11-22T09:00:00.000Z');
const MORNING = new Date('2030-11-26T01:00:00.000Z');
const DUE = new Date('2030-11-26T17:00:00.000Z');
const at = (d: Date, deltaMs: number) => new Date(d.getTime() + deltaMs);

const mail = {
  from: 'no-reply@bacninh.gov.vn',
  fromName: 'hopthu',
  operatorsMailbox: 'noc@bacninh.gov.vn',
};

describe('deadline sweeper (in-process, manual clock, own database)', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  async function arrange(submitted: Submitted) {
    await scratch.db.transaction().execute((trx) => scheduleDeadline({ db: trx }, submitted));
  }
  const sweep = (clock: { now(): Date }) => fireDueTimers({ db: scratch.db, clock, newId, logger, mail });
  const kinds = async (requestId: string) =>
    (await listWarnings(scratch.db, { requestId, limit: 10 })).map((w) => w.kind).sort();

  it('when a request held in approval passes half its time, then one half-time warning fires and is mailed to the operators', async () => {
    const submitted = buildSubmitted();
    await arrange(submitted);
    const clock = createManualClock(at(HALF, -1000));

    await sweep(clock);
    expect(await kinds(submitted.requestId)).toEqual([]);

    clock.set(at(HALF, 1));
    await sweep(clock);
    await sweep(clock);

    expect(await kinds(submitted.requestId)).toEqual(['half_time']);
    const deliveries = await listDeliveries(scratch.db, { requestId: submitted.requestId, limit: 10 });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      kind: 'mail',
      purpose: 'warning_half_time',
      target: 'noc@bacninh.gov.vn',
    });
    expect(String(deliveries[0]?.payload.subject)).toContain('đã quá nửa thời hạn xử lý');
  });

  it('when the clock reaches the due-day morning and then the due time, then each warning fires once', async () => {
    const submitted = buildSubmitted();
    await arrange(submitted);
    const clock = createManualClock(at(MORNING, 1));

    await sweep(clock);
    expect(await kinds(submitted.requestId)).toEqual(['due_day_morning', 'half_time']);

    clock.set(at(DUE, 1));
    await Promise.all([sweep(clock), sweep(clock), sweep(clock)]); // concurrent sweepers: SKIP LOCKED
    expect(await kinds(submitted.requestId)).toEqual(['breach', 'due_day_morning', 'half_time']);
    const d = await findDeadline(scratch.db, submitted.requestId);
    expect(d?.timers.every((t) => t.firedAt !== null)).toBe(true);
  });

  it('when the request finishes before its deadline, then the remaining timers are cancelled', async () => {
    const submitted = buildSubmitted();
    await arrange(submitted);
    const clock = createManualClock(at(HALF, 1));
    await sweep(clock);

    await scratch.db.transaction().execute((trx) =>
      recordRequestFinished(
        { db: trx, clock, newId, logger, mail },
        {
          requestId: submitted.requestId,
          agencyId: submitted.agencyId,
          province: 'bac-ninh',
          status: 'completed',
          receivedAt: submitted.receivedAt,
          dueAt: submitted.dueAt,
          finishedAt: at(HALF, 1000).toISOString(),
          reference: submitted.reference,
          requestUrl: `http://127.0.0.1:3001/v1/requests/${submitted.requestId}`,
          items: [],
        },
      ),
    );
    clock.set(at(DUE, 3600_000));
    await sweep(clock);

    expect(await kinds(submitted.requestId)).toEqual(['half_time']);
    const d = await findDeadline(scratch.db, submitted.requestId);
    expect(d?.closedAt).not.toBeNull();
    expect(d?.timers.filter((t) => t.cancelledAt !== null).map((t) => t.kind)).toEqual([
      'due_day_morning',
      'breach',
    ]);
  });
});

describe('deadline warning through the running notifier', () => {
  it('when a submitted request is past half its time, then GET /admin/warnings lists its half-time warning', async () => {
    const notifier = await ensureNotifier();
    const publisher = await createPublisher();
    try {
      // the running notifier's clock is the real one: due in 1 h, received so that half time has passed
      const { receivedAt, dueAt } = halfTimePassed();
      const submitted = buildSubmitted({ receivedAt: receivedAt.toISOString(), dueAt: dueAt.toISOString() });
      await publisher.publish(
        Topics.requests,
        submitted.requestId,
        buildEvent('vn.gov.hopthu.request.submitted.v1', submitted, {
          source: 'notifier-test',
          subject: submitted.requestId,
        }),
      );
      const call = admin(notifier.url);
      const warnings = await waitFor(
        async () => {
          const res = await call<{ warnings: WarningView[] }>(
            'GET',
            `/admin/warnings?requestId=${submitted.requestId}`,
          );
          return res.body.warnings.length > 0 ? res.body.warnings : null;
        },
        { timeoutMs: 60_000, what: 'half-time warning' },
      );
      expect(warnings.map((w) => w.kind)).toEqual(['half_time']);
      expect(warnings[0]?.dueAt).toBe(submitted.dueAt);
    } finally {
      await publisher.close();
      await notifier.stop();
    }
  });
});

describe('deadline across a restart (notifier process, test clock, own database)', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let operators: { address: string; password: string };
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    operators = await createTestMailbox('noc');
  });
  afterAll(async () => {
    await scratch?.drop();
    if (operators) await deleteTestMailbox(operators.address);
  });

  it('when the notifier is stopped across the due time, then after restart the breach fires exactly once', async () => {
    const submitted = buildSubmitted();
    await scratch.db.transaction().execute((trx) => scheduleDeadline({ db: trx }, submitted));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const start = (clockAt: Date) =>
      startNotifierProcess(
        {
          PORT: String(port),
          DATABASE_URL: scratch.url,
          OPERATORS_MAILBOX: operators.address,
          SWEEP_INTERVAL_MS: '200',
        },
        url,
        clockAt,
      );
    const call = admin(url);
    const deadline = async () =>
      (
        await call<{ timers: { kind: string; firedAt: string | null }[] }>(
          'GET',
          `/admin/deadlines/${submitted.requestId}`,
        )
      ).body;

    // first life: the clock is an hour before the due time, so half time and the morning fire
    const first = await start(at(DUE, -3600_000));
    await waitFor(async () => (await deadline()).timers.filter((t) => t.firedAt !== null).length === 2, {
      what: 'half-time and morning warnings',
    });
    expect((await deadline()).timers.find((t) => t.kind === 'breach')?.firedAt).toBeNull();
    await first.stop();

    // the due time passes while it is down; second life
    const second = await start(at(DUE, 6 * 3600_000));
    try {
      await waitFor(async () => (await deadline()).timers.every((t) => t.firedAt !== null), {
        what: 'breach fired',
      });
      const mails = await waitFor(
        async () => {
          const all = await readInbox(operators);
          return all.length >= 3 ? all : null;
        },
        { timeoutMs: 60_000, what: 'three warning mails' },
      );
      const deliveries = await listDeliveries(scratch.db, { requestId: submitted.requestId, limit: 10 });
      expect(deliveries.map((d) => d.purpose).sort()).toEqual([
        'warning_breach',
        'warning_due_day_morning',
        'warning_half_time',
      ]);
      expect(deliveries.every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
      expect(mails.map((m) => m.messageId).sort()).toEqual(deliveries.map((d) => d.messageId).sort());
      expect(mails.some((m) => m.subject.includes('ĐÃ QUÁ HẠN'))).toBe(true);
      const warnings = await listWarnings(scratch.db, { requestId: submitted.requestId, limit: 10 });
      expect(warnings.map((w) => w.kind).sort()).toEqual(['breach', 'due_day_morning', 'half_time']);
    } finally {
      await second.stop();
    }
  });
});
