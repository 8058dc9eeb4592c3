// Issue 20's console items in a real browser (Debian's Chromium driven by puppeteer-core): the
// approval queue of a 60-item request filtered by the names operators know (the agency's
// abbreviation, part of the letter's number in lower case), paged with its count, downloaded as
// CSV by the browser; a deadline at midnight read as 24:00 of the day before (hết ngày) on the
// request page; and an item approved by two operators from the request page itself, without going
// back to the queue, its history read as Vietnamese steps; a dead letter named by its address;
// the SLA board counting the minutes left. What is seeded is removed afterwards.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { readDemoClients, repoRoot, waitFor } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import type { Page } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  announceRequest,
  CONSOLE,
  createTestOperator,
  itemInRequests,
  submitAgencyMailboxDelete,
  type TestOperator,
  useConsoleOperator,
  useServiceDb,
} from './console-helpers.ts';

const requestsDb = useServiceDb('requests');
const provisionerDb = useServiceDb('provisioner');
const chrome = useConsoleOperator({ viewport: { width: 1366, height: 900 } });
const seeded: string[] = [];

/** A request from stttt with `items` suspends waiting for two operators, due 24:00 on 07/12/2026. */
async function seedWaitingRequest(items: number, reference: string): Promise<string> {
  const stttt = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
  const id = randomUUID();
  seeded.push(id);
  await sql`INSERT INTO requests (id, client_id, client_agency_id, agency_id, province, status, received_at, due_at,
      due_confirmed, reference, requester, idempotency_key, body_hash, response)
    VALUES (${id}, ${stttt.clientId}, ${stttt.agencyId}, ${stttt.agencyId}, 'bac-ninh', 'pending_approval', now(),
      '2026-12-08T00:00:00+07:00', true, ${JSON.stringify({ number: reference, date: '2026-12-01' })},
      ${JSON.stringify({ fullName: 'Lê Thị Thu' })}, ${id}, ${id}, '{}')`.execute(requestsDb);
  await sql`INSERT INTO request_items (id, request_id, seq, operation, mailbox_type, agency_id, status, person,
      address, changes, approvals, approvals_needed)
    SELECT gen_random_uuid(), ${id}, n, 'suspend', 'personal', ${stttt.agencyId}, 'pending_approval', 'null',
      'tk' || n || '-' || ${id.slice(0, 8)} || '.stttt@bacninh.gov.vn', 'null', '{}', 2
    FROM generate_series(0, ${items - 1}) AS n`.execute(requestsDb);
  return id;
}

afterAll(async () => {
  if (seeded.length > 0) {
    await sql`DELETE FROM request_items WHERE request_id IN (${sql.join(seeded)})`.execute(requestsDb);
    await sql`DELETE FROM requests WHERE id IN (${sql.join(seeded)})`.execute(requestsDb);
  }
});

const pageFor = (op: TestOperator): Promise<Page> => chrome.pageAs(op);

const pagerText = (page: Page) => page.$eval('nav.pager span[data-total]', (s) => s.textContent ?? '');
const rowsOf = (page: Page, requestId: string) =>
  page.$$eval(`tr[data-request-id="${requestId}"]`, (rows) => rows.length);

describe('the console lists in a real browser (issue 20)', () => {
  it('when a 60-item request waits, then the queue filtered by abbreviation and letter number pages through it and downloads it as CSV', async () => {
    const tag = randomUUID().slice(0, 6).toUpperCase();
    const reference = `KT-TH-${tag}/STTTT-VP`;
    const requestId = await seedWaitingRequest(60, reference);
    const page = await pageFor(await createTestOperator('operator', 'Hoàng Văn Lọc'));
    await page.goto(`${CONSOLE}/approvals`);
    await page.type('#f-agency', 'stttt');
    await page.type('#f-reference', `kt-th-${tag.toLowerCase()}`);
    await Promise.all([page.waitForNavigation(), page.click('form.filters button[type="submit"]')]);
    expect(await pagerText(page)).toBe('Hiển thị 1–50 trong 60');
    expect(await rowsOf(page, requestId)).toBe(50);
    await Promise.all([page.waitForNavigation(), page.click('nav.pager a[rel="next"]')]);
    expect(await pagerText(page)).toBe('Hiển thị 51–60 trong 60');
    expect(await rowsOf(page, requestId)).toBe(10);
    expect(await page.$('nav.pager a[rel="next"]')).toBeNull();

    // "Tải CSV" downloads the whole filtered list, not the page shown.
    const downloads = path.join(repoRoot, 'var/test', `downloads-${tag}`);
    await chrome.allowDownloads(page, downloads);
    const csvHref = await page.$eval('nav.pager a[download]', (a) => a.getAttribute('href') ?? '');
    expect(csvHref).not.toContain('trang=');
    await page.click('nav.pager a[download]');
    let file: string | undefined;
    for (let i = 0; i < 50 && !file; i++) {
      await new Promise((r) => setTimeout(r, 100));
      file = readdirSync(downloads).find((f) => f.endsWith('.csv'));
    }
    expect(file).toBeDefined();
    const lines = readFileSync(path.join(downloads, file!), 'utf8').trimEnd().split('\r\n');
    expect(lines[0]!.startsWith('\uFEFF')).toBe(true);
    expect(lines.slice(1).filter((l) => l.includes(reference))).toHaveLength(60);
    rmSync(downloads, { recursive: true, force: true });

    // The request page: a deadline at 00:00 on 08/12 is the end of 07/12.
    await page.goto(`${CONSOLE}/requests/${requestId}`);
    const due = await page.$$eval(
      'dt',
      (dts) => dts.find((dt) => dt.textContent === 'Hạn xử lý')?.nextElementSibling?.textContent ?? '',
    );
    expect(due).toBe('24:00 07/12/2026');
  });

  it('when two operators approve from the request page, then the item is approved without going back to the queue', async () => {
    const [op1, op2] = await Promise.all([
      createTestOperator('approver', 'Vũ Thị Duyệt'),
      createTestOperator('approver', 'Đặng Văn Xét'),
    ]);
    const { requestId, itemId } = await submitAgencyMailboxDelete();
    const approveHere = async (op: TestOperator) => {
      const page = await pageFor(op);
      await page.goto(`${CONSOLE}/requests/${requestId}`);
      await Promise.all([
        page.waitForNavigation(),
        page.click(`tr#item-${itemId} button[data-action="approve"]`),
      ]);
      expect(new URL(page.url()).pathname).toBe(`/requests/${requestId}`);
      return page.$eval('.notice', (n) => n.textContent ?? '');
    };
    expect(await approveHere(op1)).toContain('cần thêm phê duyệt của một cán bộ khác');
    // the item's history reads as Vietnamese steps: an approval that leaves it waiting says so
    // (not "Chờ phê duyệt → Chờ phê duyệt"), by the operator's name, with no English reason
    const reader = await pageFor(op1);
    await reader.goto(`${CONSOLE}/requests/${requestId}`);
    const history = await reader.$$eval(`tr#item-${itemId} ol li`, (lis) =>
      lis.map((li) => li.textContent ?? ''),
    );
    expect(history.some((h) => h.includes('Có thêm một phê duyệt, vẫn chờ phê duyệt tiếp'))).toBe(true);
    expect(history.some((h) => h.includes(`cán bộ ${op1.username}`))).toBe(true);
    for (const step of history) {
      expect(step).not.toMatch(/Chờ phê duyệt → Chờ phê duyệt|auto-approved|approved by|pending_approval/);
      expect(step).toMatch(/^\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}: /);
    }
    expect(await approveHere(op2)).toContain('Đã phê duyệt');
    expect(await itemInRequests(requestId, itemId)).toMatchObject({
      status: expect.stringMatching(/^(approved|in_progress|completed)$/),
    });
  });

  it('when a command could not be applied, then the dead letters page names its mailbox by address, never by id', async () => {
    const mailboxId = randomUUID();
    const id = randomUUID();
    const address = `kt.tc${id.slice(0, 8)}@bacninh.gov.vn`;
    await sql`INSERT INTO dead_letters (id, source_key, command_id, mailbox_id, topic, partition, "offset", payload, error, attempts)
      VALUES (${id}, ${`kt-tc-${id}`}, ${randomUUID()}, ${mailboxId}, 'hopthu.provisioning.commands.v1', 0, '0',
        ${JSON.stringify({ type: 'vn.gov.hopthu.provisioning.command.v1', data: { action: 'suspend', address } })},
        'invalid mail address', 1)`.execute(provisionerDb);
    try {
      const page = await pageFor(await createTestOperator('operator'));
      await page.goto(`${CONSOLE}/dead-letters?show=all`);
      await page.type('#f-address', address);
      await Promise.all([page.waitForNavigation(), page.click('form.filters button[type="submit"]')]);
      expect(await page.$eval('nav.pager span[data-total]', (s) => s.getAttribute('data-total'))).toBe('1');
      const cells = await page.$$eval(`tr#dl-${id} td`, (tds) => tds.map((td) => td.textContent ?? ''));
      expect(cells).toContain(address);
      expect(cells).toContain('Tạm khóa');
      expect(cells.join(' ')).not.toContain(mailboxId);
      // the address links to the mailbox's page
      const link = await page.$eval(`tr#dl-${id} a[href^="/directory/mailboxes/"]`, (a) => [
        a.getAttribute('href'),
        a.textContent,
      ]);
      expect(link).toEqual([`/directory/mailboxes/${mailboxId}`, address]);
    } finally {
      await sql`DELETE FROM dead_letters WHERE id = ${id}`.execute(provisionerDb);
    }
  });

  it('when a request is due in three quarters of an hour, then the SLA board says how many minutes are left', async () => {
    const now = Date.now();
    const data = await announceRequest(
      { receivedAt: new Date(now - 3_600_000), dueAt: new Date(now + 45 * 60_000) },
      'KT-PHUT',
    );
    try {
      const page = await pageFor(await createTestOperator('operator'));
      const cells = await waitFor(
        async () => {
          await page.goto(`${CONSOLE}/deadlines?reference=${encodeURIComponent(data.reference.number)}`);
          const found = await page.$$eval(`tr#deadline-${data.requestId} td`, (tds) =>
            tds.map((td) => td.textContent ?? ''),
          );
          return found.length > 0 ? found : undefined;
        },
        { timeoutMs: 60_000, what: 'the request on the SLA board' },
      );
      expect(cells.join(' ')).toMatch(/Còn (4[0-5]) phút/);
      expect(cells.join(' ')).not.toMatch(/Còn 0 giờ/);
      expect(cells[0]).toMatch(/^\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}$/);
    } finally {
      await data.finish();
    }
  });
});
