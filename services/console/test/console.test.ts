// The console against the running stack, with plain fetch as the browser: login, sessions, CSRF,
// rate limiting, roles, escaping, and an approval made in the console reaching the requests
// service under the operator's own name (so two different operators are needed for real).
import { adminFetch } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONSOLE,
  createFormClient,
  createTestOperator,
  itemInRequests,
  submitAgencyMailboxDelete,
  type TestOperator,
  useConsole,
} from './console-helpers.ts';

let stop: () => Promise<void>;
let op1: TestOperator;
let op2: TestOperator;
let admin: TestOperator;

beforeAll(async () => {
  stop = await useConsole();
  [op1, op2, admin] = await Promise.all([
    createTestOperator('approver', 'Lê Văn Một'),
    createTestOperator('approver', 'Phạm Thị Hai'),
    createTestOperator('admin', 'Quản trị kiểm thử'),
  ]);
});
afterAll(async () => stop?.());

describe('login and sessions', () => {
  it('when an operator logs in, then a new httpOnly SameSite=Strict session opens and the pages show who is in', async () => {
    const browser = createFormClient();
    const answer = await browser.logIn(op1);
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/approvals');
    const session = answer.setCookies.find((c) => c.startsWith('hopthu_console_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    const page = await browser.get('/approvals');
    expect(page.status).toBe(200);
    expect(page.html).toContain(op1.username);
    expect(page.html).toContain('Đăng xuất');
  });

  it('when the same browser logs in again, then the session token changes and the old one no longer works', async () => {
    const browser = createFormClient();
    await browser.logIn(op1);
    const first = browser.jar.get('hopthu_console_session')!;
    await browser.logIn(op1);
    const second = browser.jar.get('hopthu_console_session')!;
    expect(second).not.toBe(first);
    const res = await fetch(`${CONSOLE}/approvals`, {
      headers: { cookie: `hopthu_console_session=${first}` },
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/login/);
  });

  it('when the password is wrong, then the login page says so and no session is given', async () => {
    const browser = createFormClient();
    const answer = await browser.logIn({ username: op2.username, password: 'sai-mat-khau-123' });
    expect(answer.status).toBe(401);
    expect(answer.html).toContain('Tên đăng nhập hoặc mật khẩu không đúng');
    expect(browser.jar.has('hopthu_console_session')).toBe(false);
    expect((await browser.get('/approvals')).status).toBe(303);
  });

  it('when the login form comes without its token, then it is refused', async () => {
    const browser = createFormClient();
    const answer = await browser.post('/login', { username: op1.username, password: op1.password });
    expect(answer.status).toBe(403);
    expect(browser.jar.has('hopthu_console_session')).toBe(false);
  });

  it('when a user name fails too often, then even the right password is refused for a while', async () => {
    const victim = await createTestOperator();
    const browser = createFormClient();
    for (let i = 0; i < 5; i++) {
      expect((await browser.logIn({ username: victim.username, password: `sai-${i}-mat-khau` })).status).toBe(
        401,
      );
    }
    const answer = await browser.logIn(victim);
    expect(answer.status).toBe(429);
    expect(answer.html).toContain('Đăng nhập sai quá nhiều lần');
  });

  it('when an operator logs out, then the session ends', async () => {
    const browser = createFormClient();
    await browser.logIn(op2);
    const token = browser.jar.get('hopthu_console_session')!;
    const out = await browser.post('/logout', { _csrf: await browser.csrf() });
    expect(out).toMatchObject({ status: 303, location: '/login?notice=logged_out' });
    const res = await fetch(`${CONSOLE}/approvals`, {
      headers: { cookie: `hopthu_console_session=${token}` },
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
  });

  it('when nobody is logged in, then a page redirects to the login with the way back', async () => {
    const page = await createFormClient().get('/dead-letters?show=all');
    expect(page.status).toBe(303);
    expect(page.location).toBe(`/login?next=${encodeURIComponent('/dead-letters?show=all')}`);
  });
});

describe('approvals through the console', () => {
  it('when two operators approve an agency-mailbox delete in the console, then the requests service records each by name and releases it after the second', async () => {
    const { requestId, itemId } = await submitAgencyMailboxDelete();
    const one = createFormClient();
    await one.logIn(op1);
    const queue = await one.get(`/approvals?requestId=${requestId}`);
    expect(queue.html).toContain(`data-item-id="${itemId}"`);

    const first = await one.post(`/approvals/${requestId}/items/${itemId}/approve`, {
      _csrf: one.csrfIn(queue.html),
    });
    expect(first.status).toBe(303);
    expect(first.location).toBe(`/requests/${requestId}?notice=approval_recorded#item-${itemId}`);
    expect(await itemInRequests(requestId, itemId)).toMatchObject({
      status: 'pending_approval',
      approvals: [op1.username],
    });

    // The same operator cannot give the second approval.
    const again = await one.post(`/approvals/${requestId}/items/${itemId}/approve`, {
      _csrf: await one.csrf(),
    });
    expect(again.location).toBe('/approvals?notice=same_operator');

    const two = createFormClient();
    await two.logIn(op2);
    // The request page itself offers the decision, so an approver need not go back to the queue;
    // its deadline reads as the end of a day (24:00), never as the start of the next.
    const before = await two.get(`/requests/${requestId}`);
    const row = new RegExp(`<tr id="item-${itemId}"[\\s\\S]*?</tr>`).exec(before.html)?.[0] ?? '';
    expect(row).toContain(`action="/approvals/${requestId}/items/${itemId}/approve"`);
    expect(row).toContain('data-action="reject"');
    expect(before.html).toMatch(
      /<dt>Hạn xử lý<\/dt><dd><time datetime="[^"]+">24:00 \d{2}\/\d{2}\/\d{4}<\/time>/,
    );
    const second = await two.post(`/approvals/${requestId}/items/${itemId}/approve`, {
      _csrf: await two.csrf(),
      reason: 'Đã xác minh quyết định giải thể',
    });
    expect(second.location).toBe(`/requests/${requestId}?notice=approved#item-${itemId}`);
    expect(await itemInRequests(requestId, itemId)).toMatchObject({
      approvals: [op1.username, op2.username],
    });
    const page = await two.get(`/requests/${requestId}?notice=approved`);
    expect(page.html).toContain(`cán bộ ${op2.username}`);
    expect(page.html).toContain('Có thêm một phê duyệt, vẫn chờ phê duyệt tiếp');
    expect(page.html).not.toContain('Chờ phê duyệt → Chờ phê duyệt');

    const audit = await adminAudit(`/audit?username=${op1.username}`);
    expect(audit).toContain(`${requestId}/${itemId}`);
  });

  it('when a POST comes without the CSRF token or with another session’s, then it is refused and nothing reaches the requests service', async () => {
    const { requestId, itemId } = await submitAgencyMailboxDelete();
    const one = createFormClient();
    await one.logIn(op1);
    const other = createFormClient();
    await other.logIn(op2);

    const without = await one.post(`/approvals/${requestId}/items/${itemId}/approve`, {});
    expect(without.status).toBe(403);
    expect(without.html).toContain('CSRF');
    const foreign = await one.post(`/approvals/${requestId}/items/${itemId}/reject`, {
      _csrf: await other.csrf(),
      reason: 'giả mạo',
    });
    expect(foreign.status).toBe(403);
    expect(await itemInRequests(requestId, itemId)).toMatchObject({
      status: 'pending_approval',
      approvals: [],
    });

    // Clean up: reject it properly, with a reason, so it leaves the queue.
    const rejected = await one.post(`/approvals/${requestId}/items/${itemId}/reject`, {
      _csrf: await one.csrf(),
      reason: 'Kiểm thử: không thực hiện',
    });
    expect(rejected.location).toBe(`/requests/${requestId}?notice=rejected#item-${itemId}`);
    expect(await itemInRequests(requestId, itemId)).toMatchObject({ status: 'rejected' });
  });
});

async function adminAudit(path: string) {
  const browser = createFormClient();
  await browser.logIn(admin);
  const page = await browser.get(path);
  expect(page.status).toBe(200);
  return page.html;
}

describe('roles and escaping', () => {
  it('when an operator opens the audit or operator pages, then they are refused; an admin sees them', async () => {
    const browser = createFormClient();
    await browser.logIn(op1);
    expect((await browser.get('/audit')).status).toBe(403);
    expect((await browser.get('/operators')).status).toBe(403);
    expect(await adminAudit(`/audit?username=${op2.username}`)).toContain('Đăng nhập');
  });

  it('when an operator’s name holds <script>, then every page shows it as text', async () => {
    const evil = await createTestOperator('operator', '<script>alert("x")</script> Nguyễn');
    const browser = createFormClient();
    await browser.logIn(evil);
    const page = await browser.get('/approvals');
    expect(page.html).not.toContain('<script>');
    expect(page.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Nguyễn');
  });

  it('when the admin API is called without the admin token, then no operator is created', async () => {
    const res = await adminFetch(
      CONSOLE,
      'POST',
      '/admin/operators',
      { username: 'kt.khongduoc', displayName: 'x', role: 'admin', password: 'abcdefgh12345' },
      'wrong-token',
    );
    expect(res.status).toBe(401);
  });
});

describe('the other pages read their services', () => {
  it('when an operator searches the directory, then each hit links to the mailbox, whose page shows its history', async () => {
    const browser = createFormClient();
    await browser.logIn(op1);
    const search = await browser.get('/directory?agency=stttt');
    expect(search.status).toBe(200);
    const link = /href="(\/directory\/mailboxes\/[0-9a-f-]{36})"/.exec(search.html)?.[1];
    expect(link, 'a search hit with its mailbox link').toBeTruthy();
    const mailbox = await browser.get(link!);
    expect(mailbox.status).toBe(200);
    expect(mailbox.html).toContain('Lịch sử hộp thư');
  });

  it('when an operator opens the SLA board and the dead letters, then both pages answer', async () => {
    const browser = createFormClient();
    await browser.logIn(op1);
    const deadlines = await browser.get('/deadlines');
    expect(deadlines.status).toBe(200);
    expect(deadlines.html).toContain('Cảnh báo hạn đã phát');
    const letters = await browser.get('/dead-letters?show=all');
    expect(letters.status).toBe(200);
    expect(letters.html).toContain('<h1>Lỗi cấp phát</h1>');
  });
});
