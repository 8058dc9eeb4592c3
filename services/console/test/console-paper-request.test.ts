// Issue 14: an operator enters an agency's paper Mẫu 01 in a real browser (Debian's Chromium,
// puppeteer-core) with its PDF scan: a row without a given name is refused with the error beside
// that field (the agency API's validation), then the request is filed for the agency as if it had
// sent it (approval rules, history), the scan is kept with it and downloads byte for byte from
// the request page, the entry is in the audit chain, and the agency's official mailbox receives
// the result mail over the real Postfix and Dovecot.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { countInInbox, repoRoot, waitFor } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import {
  approveAndWaitCompleted,
  CONSOLE,
  registerSubUnitWithMailbox,
  useConsoleOperator,
  useServiceDb,
} from './console-helpers.ts';

const requestsDb = useServiceDb('requests');
const consoleDb = useServiceDb('console');
const chrome = useConsoleOperator();

/** Fills the head of the form and one Mẫu 01 row, and attaches the scan. */
async function fillMau01(
  page: Page,
  f: { agencyId: string; reference: string; givenName: string; department: string; scan: string },
) {
  await page.select('#f-form', 'mau01');
  await page.select('#f-agencyId', f.agencyId);
  await page.$eval(
    '#f-reference-number',
    (e, v) => ((e as unknown as { value: string }).value = v),
    f.reference,
  );
  await page.$eval('#f-reference-date', (e) => ((e as unknown as { value: string }).value = '2026-12-01'));
  await page.$eval(
    '#f-requester-fullName',
    (e) => ((e as unknown as { value: string }).value = 'Nguyễn Văn Giấy'),
  );
  await page.$eval(
    '#f-requester-position',
    (e) => ((e as unknown as { value: string }).value = 'Trưởng phòng'),
  );
  await page.select('#f-items-0-operation', 'create');
  for (const [id, value] of [
    ['#f-items-0-person-familyName', 'Hoàng'],
    ['#f-items-0-person-middleName', 'Thị'],
    ['#f-items-0-person-givenName', f.givenName],
    ['#f-items-0-person-position', 'Chuyên viên'],
    ['#f-items-0-person-department', f.department],
  ] as const) {
    await page.$eval(id, (e, v) => ((e as unknown as { value: string }).value = v), value);
  }
  const file = await page.$('#f-scan');
  await (file as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(f.scan);
}

describe('entering a paper request from the console', () => {
  it('when an operator enters a Mẫu 01 with its PDF, then it is refused field by field until complete, filed for the agency with its scan, audited, and the agency mailbox gets the result', async () => {
    const unit = await registerSubUnitWithMailbox();
    const run = randomUUID().slice(0, 8);
    const reference = `${run}/PL-GIAY`;
    const scanBytes = Buffer.from(`%PDF-1.4\n% Mẫu 01 ${run}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
    const scanPath = path.join(repoRoot, `var/test/mau01-${run}.pdf`);
    writeFileSync(scanPath, scanBytes);
    const { op, page } = await chrome.logIn('operator', 'Lê Thị Nhập', { width: 1400, height: 1000 });
    await page.goto(`${CONSOLE}/directory`);
    await Promise.all([page.waitForNavigation(), page.click('a[href="/paper-requests/new"]')]);

    // no given name: the requests service's field error is shown beside that field; nothing filed
    await fillMau01(page, {
      agencyId: unit.agencyId,
      reference,
      givenName: '',
      department: `P ${run}`,
      scan: scanPath,
    });
    await Promise.all([page.waitForNavigation(), page.click('form.paper-request button[type="submit"]')]);
    expect(await page.$eval('#f-items-0-person-givenName', (e) => e.getAttribute('aria-invalid'))).toBe(
      'true',
    );
    expect(await page.$eval('#f-items-0-person-givenName-loi', (e) => e.textContent ?? '')).not.toBe('');
    expect(await page.$eval('ul.field-errors', (e) => e.textContent ?? '')).toContain('Dòng 1, Tên');
    // what was typed stays in the form
    expect(await page.$eval('#f-reference-number', (e) => e.getAttribute('value'))).toBe(reference);
    await page.screenshot({
      path: path.join(repoRoot, 'var/test/console-paper-request.png'),
      fullPage: true,
    });

    await fillMau01(page, {
      agencyId: unit.agencyId,
      reference,
      givenName: `Giấy${run.replace(/[0-9]/g, '').slice(0, 4)}`,
      department: `Phòng Giấy ${run}`,
      scan: scanPath,
    });
    await Promise.all([page.waitForNavigation(), page.click('form.paper-request button[type="submit"]')]);
    expect(await page.$eval('.notice', (n) => n.textContent ?? '')).toContain(
      `Đã nhập yêu cầu số ${reference}`,
    );
    const requestId = await page.$eval('main a[href^="/requests/"]', (a) => a.textContent ?? '');

    const { rows: filed } = await sql<{
      client_id: string;
      agency_id: string;
      reference: { number: string };
    }>`
      SELECT client_id, agency_id, reference FROM requests WHERE id = ${requestId}`.execute(requestsDb);
    expect(filed).toEqual([
      {
        client_id: `operator:${op.username}`,
        agency_id: unit.agencyId,
        reference: { number: reference, date: '2026-12-01' },
      },
    ]);

    // the scan, downloaded from the request page, is the file attached
    await Promise.all([page.waitForNavigation(), page.click('main a[href^="/requests/"]')]);
    const href = await page.$eval('ul.scans a', (a) => a.getAttribute('href') ?? '');
    const cookie = (await page.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const download = await fetch(`${CONSOLE}${href}`, { headers: { cookie } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await download.arrayBuffer()).equals(scanBytes)).toBe(true);

    const { rows: audit } = await sql<{ outcome: string }>`
      SELECT outcome FROM audit_log WHERE username = ${op.username} AND action = 'paper_request.file' ORDER BY id`.execute(
      consoleDb,
    );
    expect(audit.map((a) => a.outcome)).toEqual(['refused', 'ok']);

    await approveAndWaitCompleted(requestId);
    await waitFor(
      async () => ((await countInInbox(unit.address, unit.password, reference)) > 0 ? true : undefined),
      {
        timeoutMs: 120_000,
        what: `the result of ${reference} in ${unit.address}`,
      },
    );
  }, 300_000);
});
