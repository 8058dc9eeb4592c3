// The console in a real browser (Debian's Chromium driven by puppeteer-core): operator 1 logs in,
// finds the pending agency-mailbox delete the test created and approves it; operator 2, in a
// separate browser context (own cookies), approves it too; the page then shows it approved. A
// screenshot is saved to var/test/console.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@hopthu/shared/testing';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import {
  CONSOLE,
  createTestOperator,
  itemInRequests,
  submitAgencyMailboxDelete,
  type TestOperator,
  useConsoleOperator,
} from './console-helpers.ts';

const SCREENSHOT = path.join(repoRoot, 'var/test/console.png');

// the login itself is what these tests read: pages are logged in by hand (logIn below)
const chrome = useConsoleOperator();

async function logIn(page: Page, op: TestOperator) {
  await page.goto(`${CONSOLE}/approvals`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.type('#username', op.username);
  await page.type('#password', op.password);
  await Promise.all([page.waitForNavigation(), page.click('form.login button[type="submit"]')]);
  expect(new URL(page.url()).pathname).toBe('/approvals');
}

/** Filters the queue by the request, as an operator would, and approves the item in its row. */
async function approveInQueue(page: Page, requestId: string, itemId: string) {
  await page.type('#f-request', requestId);
  await Promise.all([page.waitForNavigation(), page.click('form.filters button[type="submit"]')]);
  const row = await page.waitForSelector(`tr#item-${itemId}`);
  expect(row).toBeTruthy();
  await Promise.all([
    page.waitForNavigation(),
    page.click(`tr#item-${itemId} button[data-action="approve"]`),
  ]);
}

const noticeOf = (page: Page) => page.$eval('.notice', (n) => n.textContent ?? '');

describe('the console in a real browser', () => {
  it('when two operators approve an agency-mailbox delete in their own sessions, then the page shows it approved', async () => {
    const [op1, op2] = await Promise.all([
      createTestOperator('approver', 'Lê Văn Một'),
      createTestOperator('approver', 'Phạm Thị Hai'),
    ]);
    const { requestId, itemId, address } = await submitAgencyMailboxDelete();

    const first = await (await chrome.browser().createBrowserContext()).newPage();
    await first.setViewport({ width: 1400, height: 900 });
    await logIn(first, op1);
    await approveInQueue(first, requestId, itemId);
    expect(new URL(first.url()).pathname).toBe(`/requests/${requestId}`);
    expect(await noticeOf(first)).toContain('cần thêm phê duyệt của một cán bộ khác');
    expect(await itemInRequests(requestId, itemId)).toMatchObject({ status: 'pending_approval' });

    const second = await (await chrome.browser().createBrowserContext()).newPage();
    await second.setViewport({ width: 1400, height: 900 });
    await logIn(second, op2);
    await approveInQueue(second, requestId, itemId);
    expect(await noticeOf(second)).toContain('Đã phê duyệt');
    const status = await second.$eval(`tr#item-${itemId}`, (tr) => tr.getAttribute('data-status'));
    expect(['approved', 'in_progress', 'completed']).toContain(status);
    const rowText = await second.$eval(`tr#item-${itemId}`, (tr) => tr.textContent ?? '');
    expect(rowText).toContain(address);
    expect(rowText).toContain(`${op1.username}, ${op2.username}`);
    expect(rowText).toContain(`cán bộ ${op2.username}`);
    expect(rowText).not.toContain('Chờ phê duyệt → Chờ phê duyệt');

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await second.screenshot({ path: SCREENSHOT as `${string}.png`, fullPage: true });
  });

  it('when an auditor reads the audit log on a 1366-pixel screen, then it fits the width and reads as words, not JSON', async () => {
    const auditor = await createTestOperator('auditor', 'Kiểm Soát Viên');
    const approver = await createTestOperator('approver', 'Người Duyệt');
    const { requestId, itemId } = await submitAgencyMailboxDelete();
    const acting = await (await chrome.browser().createBrowserContext()).newPage();
    await logIn(acting, approver);
    await approveInQueue(acting, requestId, itemId);

    const page = await (await chrome.browser().createBrowserContext()).newPage();
    await page.setViewport({ width: 1366, height: 768 });
    await logIn(page, auditor);
    await page.goto(`${CONSOLE}/audit?username=${approver.username}`);
    const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
    expect(width).toBeLessThanOrEqual(1366);
    const table = await page.$eval('table.audit', (t) => t.textContent ?? '');
    expect(table).toContain('Phê duyệt');
    expect(table).toContain('Kết quả: đã ghi nhận, chờ cán bộ khác');
    expect(table).not.toContain('{"');
    expect(table).not.toContain(`${requestId}/${itemId}`);
    const link = await page.$eval('table.audit td a', (a) => a.getAttribute('href'));
    expect(link).toBe(`/requests/${requestId}#item-${itemId}`);
  });
});
