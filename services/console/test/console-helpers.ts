// Helpers of the console's integration tests: a cookie-keeping form client (what a browser does,
// with plain fetch), operators made for one test, a test file's Chromium with pages logged in as
// such operators (useConsoleOperator), and an item that needs two operators.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { buildEvent, Topics } from '@hopthu/shared/events';
import { createMessageBus } from '@hopthu/shared/kafka';
import { createLogger } from '@hopthu/shared/logger';
import { operatorSigner, signOperatorToken } from '@hopthu/shared/operator-token';
import { computeDeadline } from '@hopthu/calendar';
import { getPolicy } from '@hopthu/naming';
import { createDb } from '@hopthu/shared/db';
import {
  adminFetch,
  createAgencyClient,
  ensureService,
  imapLoginWorks,
  readDemoClients,
  serviceDatabaseUrl,
  serviceUrl,
  waitFor,
} from '@hopthu/shared/testing';
import bcrypt from 'bcryptjs';
import type { Kysely } from 'kysely';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import type { Role } from '../src/db/schema.ts';

export const CONSOLE = serviceUrl('console');
export const REQUESTS = serviceUrl('requests');
export const DIRECTORY = serviceUrl('directory');

export const useConsole = () => ensureService('console', CONSOLE);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's Chromium driven by puppeteer-core, with the console running, for one test file: call
 * it in beforeAll; `close` (in afterAll) closes the browser and stops what it started.
 */
export async function useChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install it (apt-get install chromium, done by ./hopthu up)`);
  }
  const stop = await useConsole();
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // root in a container: Chromium's sandbox needs user namespaces it does not get here
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=vi-VN'],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      await stop();
    },
  };
}

const letters = (n: number) =>
  Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');

export interface TestOperator {
  username: string;
  password: string;
  displayName: string;
  role: Role;
}

/** A new operator account for this test (unique name, so reruns and rate limits do not collide). */
export async function createTestOperator(
  role: Role = 'approver',
  displayName = 'Cán bộ kiểm thử',
): Promise<TestOperator> {
  const op = { username: `kt.${letters(10)}`, password: `Kt-${randomUUID()}`, displayName, role };
  const res = await adminFetch(CONSOLE, 'POST', '/admin/operators', op);
  if (res.status !== 201) throw new Error(`creating operator: ${res.status} ${JSON.stringify(res.body)}`);
  return op;
}

/** A browser-like client: keeps cookies, never follows redirects, posts forms. */
export function createFormClient() {
  const jar = new Map<string, string>();
  async function send(method: string, path: string, form?: Record<string, string>) {
    const res = await fetch(`${CONSOLE}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/Max-Age=0/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    return { status: res.status, location: res.headers.get('location'), setCookies, html: await res.text() };
  }
  const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return {
    jar,
    get: (path: string) => send('GET', path),
    post: (path: string, form: Record<string, string>) => send('POST', path, form),
    csrfIn,
    async logIn(op: { username: string; password: string }) {
      const page = await send('GET', '/login');
      return send('POST', '/login', {
        _csrf: csrfIn(page.html),
        username: op.username,
        password: op.password,
        next: '/approvals',
      });
    },
    /** The session's CSRF token, read from a page's forms. */
    async csrf() {
      return csrfIn((await send('GET', '/approvals')).html);
    },
  };
}

/**
 * A request from the demo agency stttt deleting a new sub-unit's agency mailbox: the policy holds
 * it for two different operators. Returns the request and item ids.
 */
export async function submitAgencyMailboxDelete(): Promise<{
  requestId: string;
  itemId: string;
  address: string;
}> {
  const stttt = createAgencyClient(readDemoClients().find((c) => c.abbreviation === 'stttt')!);
  const abbreviation = `kt${letters(8)}`;
  const unit = await adminFetch<{ agencyId: string; officialMailbox: string }>(
    DIRECTORY,
    'POST',
    '/admin/agencies',
    {
      province: 'bac-ninh',
      name: `Phòng Kiểm thử bảng điều khiển ${abbreviation}`,
      abbreviation,
      unitType: 'subunit',
      parentId: stttt.client.agencyId,
    },
  );
  if (unit.status !== 201)
    throw new Error(`registering a sub-unit: ${unit.status} ${JSON.stringify(unit.body)}`);
  const address = unit.body.officialMailbox;
  // The requests service learns of the new mailbox through the directory topic: retry while it answers 403.
  const asked = await waitFor(
    async () => {
      const answer = await stttt.submit({
        requester: { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng', phone: '0222 3822 000' },
        reference: { number: `${Math.floor(Math.random() * 90000) + 10000}/STTTT-VP`, date: '2026-11-22' },
        items: [{ operation: 'delete', mailboxType: 'agency', address, reason: 'Giải thể đơn vị' }],
      });
      if (answer.status === 202) return answer.body;
      if (answer.status !== 403)
        throw new Error(`submit answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return undefined;
    },
    { timeoutMs: 30_000, what: 'agency-mailbox delete accepted' },
  );
  return { requestId: asked.id, itemId: asked.items[0]!.id, address };
}

export async function itemInRequests(requestId: string, itemId: string) {
  const r = await adminFetch<{ items: { id: string; status: string; approvals: string[] }[] }>(
    REQUESTS,
    'GET',
    `/admin/requests/${requestId}`,
  );
  return r.body.items.find((i) => i.id === itemId)!;
}

/** Logs an operator in through the login form of a browser page. */
export async function logInInBrowser(page: Page, op: { username: string; password: string }) {
  await page.goto(`${CONSOLE}/login`);
  await page.type('#username', op.username);
  await page.type('#password', op.password);
  await Promise.all([page.waitForNavigation(), page.click('form.login button[type="submit"]')]);
}

type Viewport = { width: number; height: number };

/**
 * A test file's console in Debian's Chromium, driven by operators made for it: call it at the
 * file's top level. Chromium (and the console, if it was not running) starts before the file's
 * tests and stops after them. `logIn(role, name)` makes a new operator and answers a page of a
 * browser context of its own (its own session cookie) logged in as it; `pageAs(op)` does the same
 * for an operator the test made itself.
 */
export function useConsoleOperator(options: { viewport?: Viewport } = {}) {
  let chromium: Awaited<ReturnType<typeof useChromium>> | undefined;
  beforeAll(async () => {
    chromium = await useChromium();
  });
  afterAll(async () => {
    await chromium?.close();
  });
  const browser = (): Browser => {
    if (!chromium) throw new Error('useConsoleOperator: Chromium has not started (call it at the top level)');
    return chromium.browser;
  };
  const pageAs = async (op: { username: string; password: string }, viewport = options.viewport) => {
    const page = await (await browser().createBrowserContext()).newPage();
    if (viewport) await page.setViewport(viewport);
    await logInInBrowser(page, op);
    return page;
  };
  return {
    browser,
    pageAs,
    /** Lets the page's browser context save what it downloads into `dir` (made if missing). */
    async allowDownloads(page: Page, dir: string) {
      mkdirSync(dir, { recursive: true });
      const cdp = await browser().target().createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', {
        behavior: 'allow',
        downloadPath: dir,
        ...(page.browserContext().id ? { browserContextId: page.browserContext().id } : {}),
      });
    },
    async logIn(role: Role, displayName?: string, viewport?: Viewport) {
      const op = await createTestOperator(role, displayName);
      return { op, page: await pageAs(op, viewport) };
    },
  };
}

/**
 * The deadline the requests service sets on a request received at `received` in `province` (its
 * policy's SLA), for seeding requests as it stores them: the console's figures judge by it.
 */
export const deadlineOf = (received: string, province = 'bac-ninh') =>
  computeDeadline(new Date(received), getPolicy(province).sla.workingDays).dueAt.toISOString();

/** Opens a completed item's new password from its request page, once, as an operator does. */
export async function openCredentialOnce(page: Page): Promise<string> {
  await Promise.all([page.waitForNavigation(), page.click('a.open-credential')]);
  await Promise.all([page.waitForNavigation(), page.click('form.credential-open button[type="submit"]')]);
  return page.$eval('#new-password', (c) => c.textContent ?? '');
}

/** A service's database for a test file (one connection), closed after the file's tests. */
export function useServiceDb(service: 'requests' | 'directory' | 'provisioner' | 'console' | 'notifier') {
  const db: Kysely<Record<string, never>> = createDb(serviceDatabaseUrl(service), { max: 1 });
  afterAll(() => db.destroy());
  return db;
}

/**
 * A new sub-unit of stttt whose agency mailbox has a known password, once the mail server opens it
 * and the requests service knows the unit (it learns it through the directory topic).
 */
export async function registerSubUnitWithMailbox(): Promise<{
  agencyId: string;
  address: string;
  password: string;
}> {
  const stttt = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
  const abbreviation = `kt${letters(8)}`;
  const password = `Kt${randomUUID().slice(0, 12)}7#`;
  const unit = await adminFetch<{ agencyId: string; officialMailbox: string }>(
    DIRECTORY,
    'POST',
    '/admin/agencies',
    {
      province: 'bac-ninh',
      name: `Phòng Kiểm thử giấy ${abbreviation}`,
      abbreviation,
      unitType: 'subunit',
      parentId: stttt.agencyId,
      officialMailboxPasswordHash: `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`,
    },
  );
  if (unit.status !== 201)
    throw new Error(`registering a sub-unit: ${unit.status} ${JSON.stringify(unit.body)}`);
  const address = unit.body.officialMailbox;
  await waitFor(() => imapLoginWorks(address, password), { timeoutMs: 90_000, what: `${address} open` });
  await waitFor(
    async () => {
      const known = await adminFetch<{ items: { agency_id: string }[] }>(REQUESTS, 'GET', '/admin/agencies');
      return known.body.items.some((a) => a.agency_id === unit.body.agencyId) ? true : undefined;
    },
    { timeoutMs: 30_000, what: 'the requests service to know the new unit' },
  );
  return { agencyId: unit.body.agencyId, address, password };
}

/**
 * Where the province's rules hold a request's items for approval, two approvers (signed as the
 * console signs them) release them, as the approval queue does (tested in console-browser.test.ts);
 * then waits until every item is completed.
 */
export async function approveAndWaitCompleted(requestId: string) {
  const key = operatorSigner(String(process.env.OPERATOR_SIGNING_KEY));
  const read = async () =>
    (
      await adminFetch<{ items: { id: string; status: string; approvalsNeeded: number }[] }>(
        REQUESTS,
        'GET',
        `/admin/requests/${requestId}`,
      )
    ).body.items;
  for (const item of await read()) {
    if (item.status !== 'pending_approval') continue;
    for (const name of ['kt.duyet1', 'kt.duyet2'].slice(0, item.approvalsNeeded)) {
      const token = await signOperatorToken(key, { name, role: 'approver' });
      const res = await fetch(`${REQUESTS}/admin/requests/${requestId}/items/${item.id}/approve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      if (res.status !== 200) throw new Error(`approving ${item.id}: ${res.status}`);
    }
  }
  return waitFor(
    async () => {
      const items = await read();
      if (items.some((i) => i.status === 'failed' || i.status === 'rejected'))
        throw new Error(`request ${requestId} failed: ${JSON.stringify(items)}`);
      return items.every((i) => i.status === 'completed') ? items : undefined;
    },
    { timeoutMs: 120_000, what: `request ${requestId} completed` },
  );
}

/**
 * A request of a made-up agency as the requests service announces it on Kafka, for the SLA board
 * (the notifier keeps the deadlines): received and due at the given times. `finish()` announces
 * its end, so the board forgets it.
 */
export async function announceRequest(times: { receivedAt: Date; dueAt: Date }, tag = 'KT-SLA') {
  const bus = createMessageBus({
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    clientId: 'console-test',
    logger: createLogger('console-test', { level: 'warn' }),
  });
  const producer = await bus.createProducer();
  const data = {
    requestId: randomUUID(),
    agencyId: `kt-agency-${randomUUID()}`,
    province: 'bac-ninh',
    receivedAt: times.receivedAt.toISOString(),
    dueAt: times.dueAt.toISOString(),
    reference: { number: `${Math.floor(Math.random() * 90000) + 10000}/${tag}`, date: '2026-11-20' },
    itemCount: 1,
    dueConfirmed: true,
  };
  const publish = (
    type: 'vn.gov.hopthu.request.submitted.v1' | 'vn.gov.hopthu.request.finished.v1',
    d: object,
  ) => {
    const event = buildEvent(type, d as never, { source: 'console-test', subject: data.requestId });
    return producer.send([
      {
        topic: Topics.requests,
        key: data.requestId,
        value: JSON.stringify(event),
        headers: { 'ce-type': event.type, 'ce-id': event.id },
      },
    ]);
  };
  await publish('vn.gov.hopthu.request.submitted.v1', data);
  return {
    ...data,
    async finish() {
      await publish('vn.gov.hopthu.request.finished.v1', {
        ...data,
        status: 'completed',
        finishedAt: new Date().toISOString(),
        requestUrl: `http://127.0.0.1:3001/v1/requests/${data.requestId}`,
        items: [],
      });
      await producer.disconnect();
    },
  };
}
