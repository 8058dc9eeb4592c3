// Nhập hộp thư in a real browser (Debian's Chromium): an approver finds the page in the navigation,
// uploads an agencies file and a mailboxes file with mistakes and reads the plan as a report (each
// conflict with its file, line and column; no apply offered, nothing written), uploads corrected
// files, applies them from the report and watches the progress page, which reloads itself until
// the mail server has every mailbox; the holder then logs in over IMAP with the old password.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { adminFetch, imapLoginWorks, repoRoot, waitFor } from '@hopthu/shared/testing';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { CONSOLE, DIRECTORY, useConsoleOperator } from './console-helpers.ts';

const SCREENSHOT = path.join(repoRoot, 'var/test/console-import.png');
const AGENCIES_HEADER = 'abbreviation,name,parent_abbreviation,unit_code,unit_type';
const MAILBOXES_HEADER =
  'address,type,agency_abbreviation,family_name,middle_name,given_name,position,department,state,quota_mb,password_hash,aliases';

const chrome = useConsoleOperator();

const tag = Array.from(
  { length: 7 },
  () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)],
).join('');
const dir = mkdtempSync(path.join(tmpdir(), 'hopthu-console-import-'));

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return file;
}

/** Chooses the province and the two files in the upload form and runs the plan. */
async function plan(page: Page, agencies: string, mailboxes: string) {
  await page.select('#province', 'bac-ninh');
  for (const [selector, file] of [
    ['#agencies', agencies],
    ['#mailboxes', mailboxes],
  ] as const) {
    // an <input type="file"> handle (the DOM types are not part of this build)
    const input = (await page.$(selector)) as unknown as { uploadFile(p: string): Promise<void> };
    await input.uploadFile(file);
  }
  await Promise.all([page.waitForNavigation(), page.click('button[data-action="plan"]')]);
}

const text = (page: Page, selector: string) =>
  page.$eval(selector, (el) => (el as unknown as { textContent: string | null }).textContent ?? '');

describe('the import page', () => {
  it('plans uploaded files as a report naming each conflict by file, line and column, applies clean ones and follows the progress to the end', async () => {
    const { page } = await chrome.logIn('approver');
    await page.goto(`${CONSOLE}/approvals`);
    await Promise.all([page.waitForNavigation(), page.click('nav a[href="/imports"]')]);
    expect(new URL(page.url()).pathname).toBe('/imports');

    const password = `Cu${tag}!2024`;
    const hash = execFileSync('doveadm', ['pw', '-s', 'SHA512-CRYPT', '-p', password], {
      encoding: 'utf8',
    }).trim();
    const unit = `ki${tag}`;
    const holder = `tv${tag}.${unit}@bacninh.gov.vn`;

    // mistakes: an unknown parent (line 3), a domain not the province's and a malformed hash
    const badAgencies = write('co-quan-loi.csv', [
      AGENCIES_HEADER,
      `${unit},Sở Kiểm thử nhập ${tag},,,agency`,
      `kx${tag},Phòng không có cấp trên,khongco${tag},,subunit`,
    ]);
    const badMailboxes = write('hop-thu-loi.csv', [
      MAILBOXES_HEADER,
      `${unit}@bacninh.gov.vn,agency,${unit},,,,,,active,,${hash},`,
      `tv${tag}.${unit}@example.org,personal,${unit},Trần,Văn,Vũ,Chuyên viên,,active,,${hash},`,
      `nt${tag}.${unit}@bacninh.gov.vn,personal,${unit},Nguyễn,Thị,Tâm,,,active,,{SSHA512}khong-phai-bam,`,
    ]);
    await plan(page, badAgencies, badMailboxes);
    expect(await page.$eval('dl.plan', (el) => el.getAttribute('data-plan-state'))).toBe('conflicts');
    expect(await page.$('tr[data-conflict="agencies:3:parent_abbreviation"]')).not.toBeNull();
    expect(await page.$('tr[data-conflict="mailboxes:3:address"]')).not.toBeNull();
    expect(await page.$('tr[data-conflict="mailboxes:4:password_hash"]')).not.toBeNull();
    expect(await text(page, 'tr[data-conflict="mailboxes:3:address"]')).toContain('example.org');
    expect(await page.$('button[data-action="apply"]')).toBeNull();
    const written = await adminFetch<{ items: unknown[] }>(
      DIRECTORY,
      'GET',
      `/admin/directory/search?address=${encodeURIComponent(`${unit}@bacninh.gov.vn`)}`,
    );
    expect(written.body.items ?? []).toHaveLength(0);

    // corrected files, planned again from the report's own form, then applied
    const agencies = write('co-quan.csv', [AGENCIES_HEADER, `${unit},Sở Kiểm thử nhập ${tag},,,agency`]);
    const mailboxes = write('hop-thu.csv', [
      MAILBOXES_HEADER,
      `${unit}@bacninh.gov.vn,agency,${unit},,,,,,active,,${hash},`,
      `${holder},personal,${unit},Trần,Văn,Vũ${tag},Chuyên viên,,active,,${hash},`,
    ]);
    await plan(page, agencies, mailboxes);
    expect(await page.$eval('dl.plan', (el) => el.getAttribute('data-plan-state'))).toBe('ready');
    expect(await text(page, 'dd[data-count="agencies"]')).toBe('1');
    expect(await text(page, 'dd[data-count="mailboxes"]')).toBe('2');
    expect(await text(page, 'dd[data-count="conflicts"]')).toBe('0');
    await Promise.all([page.waitForNavigation(), page.click('button[data-action="apply"]')]);
    expect(new URL(page.url()).pathname).toMatch(/^\/imports\/[0-9a-f-]{36}$/);
    expect(await page.$('progress')).not.toBeNull();

    // the page reloads itself (meta refresh) until the mail server has answered every mailbox
    await waitFor(
      async () => {
        if ((await page.$('meta[http-equiv="refresh"]')) !== null) {
          await page.waitForNavigation({ timeout: 10_000 }).catch(() => undefined);
          return false;
        }
        return (await page.$eval('dd[data-state]', (el) => el.getAttribute('data-finished'))) === 'true';
      },
      { timeoutMs: 240_000, intervalMs: 500, what: 'the import page to show it finished' },
    );
    expect(await page.$('[data-progress="2/2"]')).not.toBeNull();
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(await imapLoginWorks(holder, password)).toBe(true);

    // the job is listed on the import page
    const jobId = new URL(page.url()).pathname.split('/').at(-1);
    await page.goto(`${CONSOLE}/imports`);
    expect(await page.$(`tr[data-job="${jobId}"]`)).not.toBeNull();

    // a broken multipart body is refused with a page saying so, not a server error
    const cookie = (await page.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const broken = await fetch(`${CONSOLE}/imports/plan`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nabc',
      redirect: 'manual',
    });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain('multipart/form-data hỏng');
    await page.close();
  }, 360_000);
});
