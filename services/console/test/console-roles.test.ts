// Roles on every console page (operator, approver, auditor, admin), enforced on the server; an
// admin disabling and re-enabling an account (its sessions end at once, it cannot log in); an
// operator changing their own password; the audit log's chain check page.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/db/schema.ts';
import {
  announceRequest,
  createFormClient,
  createTestOperator,
  type TestOperator,
  useConsole,
} from './console-helpers.ts';

let stop: () => Promise<void>;
const ops = {} as Record<Role, TestOperator>;
const clients = {} as Record<Role, ReturnType<typeof createFormClient>>;

beforeAll(async () => {
  stop = await useConsole();
  for (const role of ['operator', 'approver', 'auditor', 'admin'] as const) {
    ops[role] = await createTestOperator(role, `Kiểm thử ${role}`);
    clients[role] = createFormClient();
    expect((await clients[role].logIn(ops[role])).status).toBe(303);
  }
});
afterAll(async () => stop?.());

const id = '00000000-0000-4000-8000-000000000000';
const REFUSED = 'Vai trò của bạn không được mở trang hoặc làm thao tác này';
type Who = readonly Role[];
const ALL: Who = ['operator', 'approver', 'auditor', 'admin'];

/** Every page of the console, and the roles that may use it. */
const ROUTES: { method: 'GET' | 'POST'; path: string; allowed: Who }[] = [
  { method: 'GET', path: '/dashboard', allowed: ALL },
  { method: 'GET', path: '/reports', allowed: ALL },
  { method: 'GET', path: '/reports/phu-luc-1.csv', allowed: ALL },
  { method: 'GET', path: '/approvals', allowed: ALL },
  { method: 'GET', path: `/requests/${id}`, allowed: ALL },
  { method: 'POST', path: `/approvals/${id}/items/${id}/approve`, allowed: ['approver', 'admin'] },
  { method: 'POST', path: `/approvals/${id}/items/${id}/reject`, allowed: ['approver', 'admin'] },
  { method: 'GET', path: '/deadlines', allowed: ALL },
  { method: 'GET', path: `/deadlines/${id}`, allowed: ALL },
  { method: 'GET', path: '/dead-letters', allowed: ALL },
  { method: 'GET', path: `/dead-letters/${id}`, allowed: ALL },
  { method: 'POST', path: `/dead-letters/${id}/replay`, allowed: ['operator', 'approver', 'admin'] },
  { method: 'GET', path: '/directory', allowed: ALL },
  { method: 'GET', path: `/directory/mailboxes/${id}`, allowed: ALL },
  { method: 'GET', path: '/reclaims', allowed: ALL },
  { method: 'POST', path: `/reclaims/${id}/approve`, allowed: ['approver', 'admin'] },
  { method: 'POST', path: `/reclaims/${id}/dismiss`, allowed: ['approver', 'admin'] },
  { method: 'GET', path: '/audit', allowed: ['auditor', 'admin'] },
  { method: 'GET', path: '/audit/verify', allowed: ['auditor', 'admin'] },
  { method: 'GET', path: '/operators', allowed: ['auditor', 'admin'] },
  { method: 'POST', path: '/operators', allowed: ['admin'] },
  { method: 'POST', path: '/operators/kt.khongco/disable', allowed: ['admin'] },
  { method: 'POST', path: '/operators/kt.khongco/enable', allowed: ['admin'] },
  { method: 'GET', path: '/account', allowed: ALL },
  { method: 'POST', path: '/account/password', allowed: ALL },
  { method: 'POST', path: '/logout', allowed: ALL },
];

describe('roles on every page', () => {
  for (const route of ROUTES) {
    for (const role of ALL) {
      const may = route.allowed.includes(role);
      it(`when ${role} ${route.method}s ${route.path}, then it is ${may ? 'let through' : 'refused'}`, async () => {
        const browser = clients[role];
        // POSTs go without their CSRF token: a role let through reaches the CSRF check (and
        // nothing runs); a role refused never gets that far.
        const answer =
          route.method === 'GET' ? await browser.get(route.path) : await browser.post(route.path, {});
        if (may) {
          expect(answer.html).not.toContain(REFUSED);
          if (route.method === 'POST') expect(answer.html).toContain('CSRF');
          else expect(answer.status).not.toBe(403);
        } else {
          expect(answer.status).toBe(403);
          expect(answer.html).toContain(REFUSED);
        }
      });
    }
  }

  it('when an operator opens the queue, then there are no approve or reject forms and the navigation hides the audit pages', async () => {
    const page = await clients.operator.get('/approvals');
    expect(page.html).not.toContain('data-action="approve"');
    expect(page.html).not.toContain('href="/audit"');
    expect(page.html).not.toContain('href="/operators"');
  });

  it('when an operator or an auditor opens Thu hồi hộp thư, then the page and its navigation link are there, without reclaim forms', async () => {
    for (const role of ['operator', 'auditor'] as const) {
      const page = await clients[role].get('/reclaims');
      expect(page.status).toBe(200);
      expect(page.html).toContain('href="/reclaims" aria-current="page"');
      expect(page.html).not.toContain('action="/reclaims/');
    }
  });

  it('when an auditor opens the accounts, then they are listed without any form', async () => {
    const page = await clients.auditor.get('/operators');
    expect(page.status).toBe(200);
    expect(page.html).toContain(ops.admin.username);
    expect(page.html).not.toContain('action="/operators');
  });

  it('when a role is refused, then the refusal is in the audit log', async () => {
    await clients.auditor.post('/operators', {});
    const audit = await clients.admin.get(`/audit?username=${ops.auditor.username}&action=permission_check`);
    expect(audit.html).toContain('POST /operators');
  });
});

describe('disabling accounts', () => {
  it('when an admin disables an account, then its open session ends at once and it cannot log in until re-enabled', async () => {
    const op = await createTestOperator('approver');
    const theirs = createFormClient();
    await theirs.logIn(op);
    expect((await theirs.get('/approvals')).status).toBe(200);

    const admin = clients.admin;
    const disabled = await admin.post(`/operators/${op.username}/disable`, { _csrf: await admin.csrf() });
    expect(disabled).toMatchObject({ status: 303, location: '/operators?notice=operator_disabled' });
    expect((await admin.get('/operators')).html).toMatch(
      new RegExp(`id="operator-${op.username.replace('.', '\\.')}" data-disabled="true"`),
    );

    const after = await theirs.get('/approvals');
    expect(after.status).toBe(303);
    expect(after.location).toMatch(/^\/login/);
    expect((await createFormClient().logIn(op)).status).toBe(401);

    const enabled = await admin.post(`/operators/${op.username}/enable`, { _csrf: await admin.csrf() });
    expect(enabled.location).toBe('/operators?notice=operator_enabled');
    expect((await createFormClient().logIn(op)).status).toBe(303);

    const audit = await admin.get(`/audit?username=${ops.admin.username}`);
    expect(audit.html).toContain('Khóa tài khoản cán bộ');
    expect(audit.html).toContain('Mở khóa tài khoản cán bộ');
  });

  it('when an admin tries to disable their own account, then it is refused', async () => {
    const admin = clients.admin;
    const answer = await admin.post(`/operators/${ops.admin.username}/disable`, {
      _csrf: await admin.csrf(),
    });
    expect(answer.status).toBe(409);
    expect((await admin.get('/approvals')).status).toBe(200);
  });
});

describe('changing one’s own password', () => {
  it('when the current password is wrong or the new one mismatched, then nothing changes', async () => {
    const op = await createTestOperator('operator');
    const browser = createFormClient();
    await browser.logIn(op);
    const wrong = await browser.post('/account/password', {
      _csrf: await browser.csrf(),
      currentPassword: 'khong-phai-mat-khau-1',
      newPassword: 'Mat-khau-moi-123456',
      confirmPassword: 'Mat-khau-moi-123456',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('Mật khẩu hiện tại không đúng');
    const mismatch = await browser.post('/account/password', {
      _csrf: await browser.csrf(),
      currentPassword: op.password,
      newPassword: 'Mat-khau-moi-123456',
      confirmPassword: 'Mat-khau-moi-654321',
    });
    expect(mismatch.status).toBe(400);
    expect((await createFormClient().logIn(op)).status).toBe(303);
  });

  it('when the operator gives the current password and a good new one, then the new one works, the old does not, and other sessions end', async () => {
    const op = await createTestOperator('operator');
    const here = createFormClient();
    await here.logIn(op);
    const elsewhere = createFormClient();
    await elsewhere.logIn(op);
    const newPassword = `Moi-${randomUUID()}`;
    const changed = await here.post('/account/password', {
      _csrf: await here.csrf(),
      currentPassword: op.password,
      newPassword,
      confirmPassword: newPassword,
    });
    expect(changed).toMatchObject({ status: 303, location: '/account?notice=password_changed' });
    expect((await here.get('/account')).status).toBe(200);
    expect((await elsewhere.get('/approvals')).status).toBe(303);
    expect((await createFormClient().logIn(op)).status).toBe(401);
    expect((await createFormClient().logIn({ username: op.username, password: newPassword })).status).toBe(
      303,
    );
  });
});

describe('the audit chain page', () => {
  it('when an auditor checks the chain, then the page says it is intact', async () => {
    const page = await clients.auditor.get('/audit/verify');
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-chain="intact"');
  });
});

describe('the SLA board', () => {
  it('when a request is past its deadline, then the board lists it among the first, highlighted, with its warnings; earliest due first', async () => {
    const now = Date.now();
    const data = await announceRequest({
      receivedAt: new Date(now - 50 * 3_600_000),
      dueAt: new Date(now - 2 * 3_600_000),
    });
    try {
      const page = await waitFor(
        async () => {
          const p = await clients.operator.get(
            `/deadlines?reference=${encodeURIComponent(data.reference.number)}`,
          );
          const row = new RegExp(`<tr id="deadline-${data.requestId}"[^>]*>[\\s\\S]*?</tr>`).exec(
            p.html,
          )?.[0];
          return row?.includes('Quá hạn') ? { html: p.html, row } : undefined;
        },
        { timeoutMs: 60_000, what: 'the overdue request on the SLA board with its breach warning' },
      );
      expect(page.row).toContain('class="overdue" data-overdue="true"');
      expect(page.row).toContain(data.reference.number);
      expect(page.row).toContain('Lịch chính thức');
      expect(page.html).toContain('data-total="1"');
      const overdueOnly = await clients.operator.get('/deadlines?overdue=true');
      expect(overdueOnly.html).toContain(`id="deadline-${data.requestId}"`);
      expect(overdueOnly.html).not.toMatch(/<tr id="deadline-[^"]+" data-request-id="[^"]+"><td>/);
      const board = await clients.operator.get('/deadlines');
      const dues = [
        ...board.html.matchAll(/<tr id="deadline-[^"]+"[^>]*><td><a [^>]+><time datetime="([^"]+)"/g),
      ].map((m) => Date.parse(m[1]!));
      expect(dues.length).toBeGreaterThan(0);
      expect(dues).toEqual([...dues].sort((a, b) => a - b));
    } finally {
      await data.finish();
    }
  });
});
