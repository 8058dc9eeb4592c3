// Issue 14: an operator acts on a mailbox from the console in a real browser (Debian's Chromium,
// puppeteer-core): finds it in the directory search, opens its page, locks it with a reason; the
// lock is filed as a request for its agency under the operator's own token (approval rules,
// history, events as an agency's request), is in the audit chain, and once done the mailbox's IMAP
// login is refused at the real Dovecot. A screenshot of the mailbox page goes to var/test/.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createAgencyClient, imapLoginWorks, readDemoClients, repoRoot } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import {
  approveAndWaitCompleted,
  CONSOLE,
  openCredentialOnce,
  useConsoleOperator,
  useServiceDb,
} from './console-helpers.ts';

const requestsDb = useServiceDb('requests');
const consoleDb = useServiceDb('console');
const chrome = useConsoleOperator();

/** A fresh personal mailbox of stttt, made as an agency makes one, and its first password. */
async function freshMailbox() {
  const agency = createAgencyClient(readDemoClients().find((c) => c.abbreviation === 'stttt')!);
  const run = randomUUID().slice(0, 6);
  const person = {
    familyName: 'Đỗ',
    middleName: 'Thị',
    givenName: 'Khóa',
    position: 'Chuyên viên',
    department: `Phòng Khóa ${run}`,
  };
  const reference = { number: `${run}/KHOA-BC`, date: '2026-11-20' };
  const item = { operation: 'create', mailboxType: 'personal', person };
  const created = await agency.submit({
    requester: { fullName: 'Nguyễn Thị Bình' },
    reference,
    items: [item],
  });
  expect(created.status).toBe(202);
  const done = await agency.waitFinished(created.body.id);
  const credential = await agency.openCredential(String(done.items[0]!.credentialUrl));
  if (!('password' in credential)) throw new Error(`credential answered ${credential.status}`);
  return credential;
}

/** Finds the mailbox in the directory search, as an operator would, and opens its page. */
async function openMailboxPage(page: Page, address: string) {
  await page.goto(`${CONSOLE}/directory`);
  await page.type('#address', address);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await Promise.all([page.waitForNavigation(), page.click(`a[href^="/directory/mailboxes/"]`)]);
  expect(await page.$eval('main', (m) => m.textContent ?? '')).toContain(address);
}

/** Chooses an action on the mailbox page, writes the reason and sends the form. */
async function act(page: Page, action: string, reason: string) {
  await page.click(`form.mailbox-actions input[name="action"][value="${action}"]`);
  await page.type('#reason', reason);
  await Promise.all([page.waitForNavigation(), page.click('form.mailbox-actions button[type="submit"]')]);
}

describe('acting on a mailbox from the console', () => {
  it('when an operator finds a mailbox and locks it with a reason, then the lock is filed under their name, audited, and IMAP login is refused', async () => {
    const mailbox = await freshMailbox();
    expect(await imapLoginWorks(mailbox.address, mailbox.password)).toBe(true);
    const { op, page } = await chrome.logIn('operator', 'Trần Văn Khóa', { width: 1300, height: 1000 });
    await openMailboxPage(page, mailbox.address);
    expect(await page.$eval('main', (m) => m.textContent ?? '')).toContain(mailbox.address);

    // no reason: refused, nothing filed
    await Promise.all([
      page.waitForNavigation(),
      page.$eval('form.mailbox-actions', (f) => (f as unknown as { submit(): void }).submit()),
    ]);
    expect(await page.$eval('.notice', (n) => n.textContent ?? '')).toContain('Cần ghi lý do');
    await page.goBack();

    await act(page, 'suspend', 'Hộp thư bị chiếm đoạt, cơ quan báo qua điện thoại');
    expect(await page.$eval('.notice', (n) => n.textContent ?? '')).toContain(
      `Đã gửi yêu cầu khóa hộp thư ${mailbox.address}`,
    );
    const requestId = await page.$eval('main a[href^="/requests/"]', (a) => a.textContent ?? '');

    const { rows: items } = await sql<{
      id: string;
      status: string;
      approvals_needed: number;
      operation: string;
    }>`
      SELECT id, status, approvals_needed, operation FROM request_items WHERE request_id = ${requestId}`.execute(
      requestsDb,
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ operation: 'suspend' });
    const { rows: history } = await sql<{ actor: string }>`
      SELECT actor FROM item_transitions WHERE item_id = ${items[0]!.id} ORDER BY id LIMIT 1`.execute(
      requestsDb,
    );
    expect(history[0]?.actor).toBe(`client:operator:${op.username}`);

    // where the province's rules hold the lock for approval, two approvers release it
    await approveAndWaitCompleted(requestId);
    expect(await imapLoginWorks(mailbox.address, mailbox.password)).toBe(false);

    const { rows: audit } = await sql<{ action: string; outcome: string }>`
      SELECT action, outcome FROM audit_log WHERE username = ${op.username} AND action = 'mailbox.suspend'`.execute(
      consoleDb,
    );
    expect(audit).toEqual([{ action: 'mailbox.suspend', outcome: 'ok' }]);

    await page.goto(page.url().replace(/\/actions$/, ''));
    await page.screenshot({ path: path.join(repoRoot, 'var/test/console-mailbox.png'), fullPage: true });
  }, 300_000);

  it('when an operator resets a password on a report, then the new password is shown once, works over IMAP, and the old one no longer does', async () => {
    const mailbox = await freshMailbox();
    const { op, page } = await chrome.logIn('operator', 'Phạm Thị Đặt');
    await openMailboxPage(page, mailbox.address);

    await act(page, 'reset_password', 'Chủ hộp thư quên mật khẩu, cơ quan báo qua điện thoại');
    expect(await page.$eval('.notice', (n) => n.textContent ?? '')).toContain(
      `Đã gửi yêu cầu đặt lại mật khẩu hộp thư ${mailbox.address}`,
    );
    const requestId = await page.$eval('main a[href^="/requests/"]', (a) => a.textContent ?? '');
    await approveAndWaitCompleted(requestId);

    const password = await openCredentialOnce(page);
    expect(password).not.toBe('');
    expect(password).not.toBe(mailbox.password);
    expect(await imapLoginWorks(mailbox.address, password)).toBe(true);
    expect(await imapLoginWorks(mailbox.address, mailbox.password)).toBe(false);

    // once only: opening it again finds it gone
    await page.goBack();
    await Promise.all([page.waitForNavigation(), page.click('form.credential-open button[type="submit"]')]);
    expect(await page.$eval('.notice', (n) => n.textContent ?? '')).toContain('đã được mở một lần');
    expect(await page.$('#new-password')).toBeNull();

    const { rows: audit } = await sql<{ action: string; outcome: string }>`
      SELECT action, outcome FROM audit_log WHERE username = ${op.username} ORDER BY id`.execute(consoleDb);
    expect(audit.filter((a) => a.action.startsWith('mailbox.'))).toEqual([
      { action: 'mailbox.reset_password', outcome: 'ok' },
      { action: 'mailbox.credential_open', outcome: 'ok' },
      { action: 'mailbox.credential_open', outcome: 'refused' },
    ]);
  }, 300_000);

  it('when an operator adds an alias with a reason and removes it, then each is filed as a request in their name, and the directory lists it and then no longer', async () => {
    const mailbox = await freshMailbox();
    const { op, page } = await chrome.logIn('operator', 'Vũ Văn Danh');
    await openMailboxPage(page, mailbox.address);
    const mailboxPage = page.url();
    const alias = `bd${randomUUID().slice(0, 8)}@${mailbox.address.split('@')[1]}`;
    /** Reloads the mailbox page until the aliases table says what is expected (the request flows). */
    const untilAliases = async (has: boolean) => {
      for (let i = 0; ; i++) {
        await page.goto(mailboxPage);
        const text = await page.$eval('table.aliases', (t) => t.textContent ?? '').catch(() => '');
        if (text.includes(alias) === has) return;
        if (i > 120) throw new Error(`alias ${alias} still ${has ? 'absent' : 'listed'}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    };

    // outside the province's domains: refused with the article (Bắc Ninh Điều 8 khoản 5), nothing filed
    await page.type('#alias', 'canbo.rieng@gmail.com');
    await page.type('#alias-reason', 'Chuyển thư sang hộp thư riêng');
    await Promise.all([page.waitForNavigation(), page.click('form.alias-add button[type="submit"]')]);
    expect(await page.$eval('.notice', (n) => n.textContent ?? '')).toContain('Điều 8 khoản 5');
    await page.goto(mailboxPage);

    await page.type('#alias', alias);
    await page.type('#alias-reason', 'Địa chỉ tiếp nhận hồ sơ một cửa');
    await Promise.all([page.waitForNavigation(), page.click('form.alias-add button[type="submit"]')]);
    expect(await page.$eval('.notice', (n) => n.textContent ?? '')).toContain(
      `Đã gửi yêu cầu thêm bí danh ${alias}`,
    );
    const addRequest = await page.$eval('main a[href^="/requests/"]', (a) => a.textContent ?? '');
    await untilAliases(true);
    // the directory's history names the operator who filed it, with the request
    const history = await page.$eval('main table', (t) => t.textContent ?? '');
    expect(history).toContain('alias_added');
    expect(history).toContain(`operator:${op.username}`);

    await page.type('form.alias-remove input[name="reason"]', 'Không còn dùng');
    await Promise.all([page.waitForNavigation(), page.click('form.alias-remove button[type="submit"]')]);
    expect(await page.$eval('.notice', (n) => n.textContent ?? '')).toContain(
      `Đã gửi yêu cầu gỡ bí danh ${alias}`,
    );
    await untilAliases(false);

    const { rows: items } = await sql<{ operation: string; client_id: string }>`
      SELECT i.operation, r.client_id FROM request_items i JOIN requests r ON r.id = i.request_id
      WHERE r.id = ${addRequest}::uuid`.execute(requestsDb);
    expect(items).toEqual([{ operation: 'add_alias', client_id: `operator:${op.username}` }]);
    const { rows: audit } = await sql<{ action: string; outcome: string }>`
      SELECT action, outcome FROM audit_log WHERE username = ${op.username} ORDER BY id`.execute(consoleDb);
    expect(audit.filter((a) => a.action.startsWith('mailbox.'))).toEqual([
      { action: 'mailbox.alias_add', outcome: 'refused' },
      { action: 'mailbox.alias_add', outcome: 'ok' },
      { action: 'mailbox.alias_remove', outcome: 'ok' },
    ]);
  }, 300_000);
});
