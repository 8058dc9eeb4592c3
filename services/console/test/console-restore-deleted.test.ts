// Issue 14: an operator gives a deleted mailbox back from retention in a real browser (Debian's
// Chromium): a mailbox with a message in it is deleted by its agency (Mẫu 03); the operator finds
// it among the deleted mailboxes, opens its page, chooses "Khôi phục từ lưu trữ" with a reason; the
// action is filed as a restore_deleted request under the operator's own token (approval rules,
// history, audit chain), and once approved and done the new password is shown once and reads the
// old message over IMAP at the real Dovecot.
import { randomUUID } from 'node:crypto';
import {
  countInInbox,
  createAgencyClient,
  readDemoClients,
  readStack,
  waitFor,
} from '@hopthu/shared/testing';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import {
  approveAndWaitCompleted,
  CONSOLE,
  openCredentialOnce,
  useConsoleOperator,
  useServiceDb,
} from './console-helpers.ts';

const consoleDb = useServiceDb('console');
const chrome = useConsoleOperator();

/** A mailbox of stttt with one message in it, then deleted by the agency (Mẫu 03). */
async function deletedMailboxWithMail(run: string) {
  const agency = createAgencyClient(readDemoClients().find((c) => c.abbreviation === 'stttt')!);
  const reference = (what: string) => ({ number: `${run}/${what}`, date: '2026-12-01' });
  const created = await agency.submit({
    requester: { fullName: 'Nguyễn Thị Bình' },
    reference: reference('MOI'),
    items: [
      {
        operation: 'create',
        mailboxType: 'personal',
        person: { familyName: 'Hồ', middleName: 'Văn', givenName: 'Lưu', department: `Phòng Hồ sơ ${run}` },
      },
    ],
  });
  expect(created.status).toBe(202);
  const done = await agency.waitFinished(created.body.id);
  const credential = await agency.openCredential(String(done.items[0]!.credentialUrl));
  if (!('password' in credential)) throw new Error(`credential answered ${credential.status}`);
  const subject = `Bien ban ban giao ${run}`;
  await nodemailer
    .createTransport({ ...readStack().smtp, secure: false, ignoreTLS: true })
    .sendMail({ from: 'kiemthu@example.org', to: credential.address, subject, text: 'thư cần giữ lại' });
  await waitFor(
    async () =>
      (await countInInbox(credential.address, credential.password, subject)) === 1 ? true : undefined,
    { timeoutMs: 30_000, what: 'the message delivered before the delete' },
  );
  const deleted = await agency.submit({
    requester: { fullName: 'Nguyễn Thị Bình' },
    reference: reference('XOA'),
    items: [{ operation: 'delete', address: credential.address, reason: 'Chuyển công tác' }],
  });
  expect(deleted.status).toBe(202);
  await approveAndWaitCompleted(String(deleted.body.id));
  return { ...credential, subject };
}

describe('restoring a deleted mailbox from the console', () => {
  it('restores a deleted mailbox with its mail', async () => {
    const run = randomUUID().slice(0, 6);
    const mailbox = await deletedMailboxWithMail(run);
    const { op, page } = await chrome.logIn('operator', 'Đinh Thị Khôi', { width: 1300, height: 1000 });

    // the deleted mailbox is found by asking for deleted ones
    await page.goto(`${CONSOLE}/directory`);
    await page.type('#address', mailbox.address);
    await page.select('#state', 'deleted');
    await Promise.all([page.waitForNavigation(), page.click('form.filters button[type="submit"]')]);
    await Promise.all([page.waitForNavigation(), page.click('a[href^="/directory/mailboxes/"]')]);
    const text = await page.$eval('main', (m) => m.textContent ?? '');
    expect(text).toContain(mailbox.address);
    expect(text).toContain('Đã xóa');
    expect(text).toContain('Thư được giữ trong lưu trữ đến hết ngày');

    await page.type('form.restore-deleted #reason', 'Cán bộ trở lại cơ quan, cần thư cũ');
    await Promise.all([page.waitForNavigation(), page.click('form.restore-deleted button[type="submit"]')]);
    expect(await page.$eval('.notice', (n) => n.textContent ?? '')).toContain(
      `Đã gửi yêu cầu khôi phục từ lưu trữ hộp thư ${mailbox.address}`,
    );
    const requestId = await page.$eval('main a[href^="/requests/"]', (a) => a.textContent ?? '');
    // never approved on receipt: an operator approves it, then the mail server has it back
    await approveAndWaitCompleted(requestId);

    const password = await openCredentialOnce(page);
    expect(password).not.toBe('');
    expect(password).not.toBe(mailbox.password);
    expect(await countInInbox(mailbox.address, password, mailbox.subject)).toBe(1);

    // the page now shows the mailbox active again, with the restore in its history
    await page.goto(`${CONSOLE}/directory?address=${encodeURIComponent(mailbox.address)}`);
    await Promise.all([page.waitForNavigation(), page.click('a[href^="/directory/mailboxes/"]')]);
    const after = await page.$eval('main', (m) => m.textContent ?? '');
    expect(after).toContain('restored_from_retention');
    expect(after).toContain('Đang hoạt động');

    const { rows: audit } = await sql<{ action: string; outcome: string }>`
      SELECT action, outcome FROM audit_log WHERE username = ${op.username} ORDER BY id`.execute(consoleDb);
    expect(audit.filter((a) => a.action.startsWith('mailbox.'))).toEqual([
      { action: 'mailbox.restore_deleted', outcome: 'ok' },
      { action: 'mailbox.credential_open', outcome: 'ok' },
    ]);
  }, 300_000);
});
