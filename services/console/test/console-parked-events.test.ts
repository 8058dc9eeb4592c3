// Nothing accepted is lost, on the running stack: a request.submitted event the notifier cannot
// take (its deadlines table refuses this test's agency through a trigger, standing for any cause
// that is neither transient nor passing) is published on hopthu.requests.v1 with the shared Kafka
// adapter. The notifier's consumer has no onPoison: the event is parked, not dropped, and the
// offset moves on. It shows in the notifier's GET /admin/parked-events and, in Chromium, on the
// console's "Sự kiện bị tạm giữ" page reached from the dashboard. A replay while the cause is still
// there leaves it parked with the new error; once the trigger is gone the operator's replay handles
// it once (the SLA board has its deadline), the page shows who replayed it, and the audit log has
// both replays. A message that is no event at all, on the same topic, is parked by both of its
// consumers (the directory's, which has an onPoison, and the notifier's) and an operator closes
// each with a reason from the page. Screenshot: var/test/console-parked-events.png.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { buildEvent, Topics } from '@hopthu/shared/events';
import { createMessageBus } from '@hopthu/shared/kafka';
import { createLogger } from '@hopthu/shared/logger';
import type { ParkedEvent } from '@hopthu/shared/parked-events';
import {
  adminFetch,
  createSqlPool,
  repoRoot,
  serviceDatabaseUrl,
  serviceUrl,
  waitFor,
} from '@hopthu/shared/testing';
import type pg from 'pg';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE, createTestOperator, logInInBrowser, useChromium } from './console-helpers.ts';

const NOTIFIER = serviceUrl('notifier');
const SCREENSHOT = path.join(repoRoot, 'var/test/console-parked-events.png');
const agencyId = `kt-tamgiu-${randomUUID()}`;
const trigger = `kt_refuse_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

let stop: () => Promise<void>;
let browser: Browser;
let notifierDb: pg.Pool;
let finishRequest: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ browser, close: stop } = await useChromium());
  notifierDb = createSqlPool(serviceDatabaseUrl('notifier'));
  // the cause: the notifier's deadlines refuse this test's agency (and nobody else's)
  await notifierDb.query(`
    CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.agency_id = '${agencyId}' THEN RAISE EXCEPTION 'deadlines refuse ${agencyId}'; END IF; RETURN NEW; END $$`);
  await notifierDb.query(
    `CREATE TRIGGER ${trigger} BEFORE INSERT ON deadlines FOR EACH ROW EXECUTE FUNCTION ${trigger}()`,
  );
});

afterAll(async () => {
  await finishRequest?.();
  await notifierDb?.query(`DROP TRIGGER IF EXISTS ${trigger} ON deadlines`);
  await notifierDb?.query(`DROP FUNCTION IF EXISTS ${trigger}()`);
  await notifierDb?.end();
  await stop?.();
});

/**
 * A request.submitted of this test's agency, published as the requests service would, and its
 * request.finished (so the SLA board forgets the deadline the replay makes).
 */
async function publishSubmitted() {
  const bus = createMessageBus({
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    clientId: 'console-parked-events-test',
    logger: createLogger('console-parked-events-test', { level: 'warn' }),
  });
  const producer = await bus.createProducer();
  const requestId = randomUUID();
  const data = {
    requestId,
    agencyId,
    province: 'bac-ninh',
    receivedAt: new Date().toISOString(),
    dueAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
    reference: { number: `${Math.floor(Math.random() * 90000) + 10000}/KT-TAMGIU`, date: '2026-12-03' },
    itemCount: 1,
    dueConfirmed: true,
  };
  const publish = async (event: ReturnType<typeof buildEvent>) =>
    producer.send([
      {
        topic: Topics.requests,
        key: requestId,
        value: JSON.stringify(event),
        headers: { 'ce-type': event.type, 'ce-id': event.id },
      },
    ]);
  const event = buildEvent('vn.gov.hopthu.request.submitted.v1', data, {
    source: 'console-parked-events-test',
    subject: requestId,
  });
  await publish(event);
  return {
    event,
    requestId,
    async finish() {
      await publish(
        buildEvent(
          'vn.gov.hopthu.request.finished.v1',
          {
            ...data,
            status: 'completed',
            finishedAt: new Date().toISOString(),
            requestUrl: `http://127.0.0.1:3001/v1/requests/${requestId}`,
            items: [],
          } as never,
          { source: 'console-parked-events-test', subject: requestId },
        ),
      );
      await producer.disconnect();
    },
  };
}

const parkedInNotifier = async (eventId: string, state = 'all') =>
  (
    await adminFetch<{ parkedEvents: ParkedEvent[] }>(
      NOTIFIER,
      'GET',
      `/admin/parked-events?state=${state}&limit=500`,
    )
  ).body.parkedEvents.find((p) => p.eventId === eventId);

const noticeOf = (page: Page) => page.$eval('.notice', (n) => n.textContent ?? '');

describe('a poison event on the running stack', () => {
  it('when the notifier cannot handle an event, then it is parked, shown on the console, and replayed once after the fix', async () => {
    const { event, requestId, finish } = await publishSubmitted();
    // the deadline the replay makes leaves the SLA board with the request's end
    finishRequest = finish;
    const parked = await waitFor(() => parkedInNotifier(event.id), {
      timeoutMs: 60_000,
      what: 'the notifier to park the event',
    });
    expect(parked).toMatchObject({
      consumer: 'notifier',
      topic: Topics.requests,
      eventType: 'vn.gov.hopthu.request.submitted.v1',
      attempts: 5,
      replayedAt: null,
    });
    expect(parked.error).toContain(`deadlines refuse ${agencyId}`);

    const operator = await createTestOperator('operator', 'Trần Văn Tạm Giữ');
    const page = await browser.newPage();
    await logInInBrowser(page, operator);
    await page.goto(`${CONSOLE}/dashboard`);
    const figure = Number(await page.$eval('[data-figure="parked-events"]', (n) => n.textContent));
    expect(figure).toBeGreaterThanOrEqual(1);
    await Promise.all([page.waitForNavigation(), page.click('#fig-parked-events')]);
    expect(new URL(page.url()).pathname).toBe('/parked-events');
    const row = `tr#pe-${parked.id}`;
    expect(await page.$eval(row, (r) => r.textContent ?? '')).toContain('request.submitted.v1');
    expect(await page.$eval(row, (r) => r.textContent ?? '')).toContain('Thông báo');

    // the cause is still there: the replay fails, the event stays parked with the new error
    await Promise.all([page.waitForNavigation(), page.click(`${row} form[action$="/replay"] button`)]);
    expect(await noticeOf(page)).toContain('vẫn bị tạm giữ');
    expect(await page.$eval(row, (r) => r.textContent ?? '')).toContain('1 lần xử lý lại chưa thành công');
    expect((await parkedInNotifier(event.id, 'open'))?.replayAttempts).toBe(1);

    // fixed: the replay handles it, once
    await notifierDb.query(`DROP TRIGGER ${trigger} ON deadlines`);
    await Promise.all([page.waitForNavigation(), page.click(`${row} form[action$="/replay"] button`)]);
    expect(await noticeOf(page)).toContain('Đã xử lý lại');
    expect(await page.$(row)).toBeNull(); // no longer among the open ones
    const replayed = await parkedInNotifier(event.id, 'replayed');
    expect(replayed).toMatchObject({ replayedBy: operator.username, replayOutcome: 'handled' });
    const { rows } = await notifierDb.query(
      'SELECT count(*)::int AS n FROM deadlines WHERE request_id = $1',
      [requestId],
    );
    expect(rows[0].n).toBe(1);

    await page.goto(`${CONSOLE}/parked-events?show=replayed&service=notifier`);
    expect(await page.$eval(row, (r) => r.textContent ?? '')).toContain(operator.username);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // a second replay is refused by the notifier and changes nothing
    const again = await adminFetch(NOTIFIER, 'POST', `/admin/parked-events/${parked.id}/replay`, {
      operator: 'kt.someone',
    });
    expect(again.status).toBe(409);

    const auditor = await createTestOperator('auditor', 'Kiểm tra Tạm Giữ');
    const auditPage = await (await browser.createBrowserContext()).newPage();
    await logInInBrowser(auditPage, auditor);
    await auditPage.goto(`${CONSOLE}/audit?username=${operator.username}`);
    const audit = await auditPage.content();
    expect(audit).toContain(`notifier/${parked.id}`);
    expect(audit).toContain('Xử lý lại sự kiện bị tạm giữ');
    expect(audit.split(`notifier/${parked.id}`).length - 1).toBe(2); // both replays, each audited
  });

  it('when a message that is no event reaches hopthu.requests.v1, then each consumer of it parks it, and an operator closes them with a reason', async () => {
    const key = `kt-garbage-${randomUUID()}`;
    const bus = createMessageBus({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      clientId: 'console-parked-events-test',
      logger: createLogger('console-parked-events-test', { level: 'warn' }),
    });
    const producer = await bus.createProducer();
    await producer.send([{ topic: Topics.requests, key, value: '{"specversion": "1.0", "type": ' }]);
    await producer.disconnect();
    const parkedBy = (service: string) =>
      waitFor(
        async () =>
          (
            await adminFetch<{ parkedEvents: ParkedEvent[] }>(
              serviceUrl(service),
              'GET',
              '/admin/parked-events?state=open&limit=500',
            )
          ).body.parkedEvents.find((p) => p.key === key),
        { timeoutMs: 60_000, what: `${service} to park the message` },
      );
    // the directory's consumer of the topic has an onPoison, the notifier's none: both keep it
    const [inDirectory, inNotifier] = await Promise.all([parkedBy('directory'), parkedBy('notifier')]);
    expect(inNotifier).toMatchObject({ consumer: 'notifier', eventId: null, attempts: 1 });
    expect(inNotifier.error).toContain('InvalidEventError');
    expect(inDirectory).toMatchObject({ consumer: 'directory', eventId: null });

    const operator = await createTestOperator('operator', 'Lê Thị Đóng');
    const page = await browser.newPage();
    await logInInBrowser(page, operator);
    for (const [service, parked] of [
      ['directory', inDirectory],
      ['notifier', inNotifier],
    ] as const) {
      await page.goto(`${CONSOLE}/parked-events?service=${service}`);
      const form = `tr#pe-${parked.id} form[action$="/dismiss"]`;
      await page.type(`${form} input[name="reason"]`, 'Tin rác của phép thử, không phải sự kiện');
      await Promise.all([page.waitForNavigation(), page.click(`${form} button`)]);
      expect(await noticeOf(page)).toContain('Đã đóng');
      const closed = (
        await adminFetch<{ parkedEvents: ParkedEvent[] }>(
          serviceUrl(service),
          'GET',
          '/admin/parked-events?state=replayed&limit=500',
        )
      ).body.parkedEvents.find((p) => p.id === parked.id);
      expect(closed).toMatchObject({
        replayOutcome: 'dismissed',
        replayedBy: operator.username,
        dismissReason: 'Tin rác của phép thử, không phải sự kiện',
      });
    }
  });
});
