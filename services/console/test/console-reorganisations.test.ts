// Sắp xếp tổ chức in the console: operators read a plan's dry run (counts per agency, old → new
// addresses, searchable, as CSV), two different operators approve it under their own names, one
// applies it, and the page follows the apply to its end. A plan scheduled for its date can be
// cancelled by an approver with a reason (in the audit chain); the directory then never applies it.
import { adminFetch, waitFor } from '@hopthu/shared/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CONSOLE,
  createFormClient,
  createTestOperator,
  DIRECTORY,
  type TestOperator,
  useConsole,
} from './console-helpers.ts';

const letters = (n: number) =>
  Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');

let op1: TestOperator;
let op2: TestOperator;

beforeAll(async () => {
  await useConsole();
  [op1, op2] = await Promise.all([createTestOperator('approver'), createTestOperator('approver')]);
});

/** A new unit of Bắc Ninh with its agency mailbox, and a plan renaming it: its address follows. */
async function planRenamingAUnit(effectiveFrom = new Date().toISOString().slice(0, 10)) {
  const abbreviation = `kts${letters(7)}`;
  const renamed = `ktr${letters(7)}`;
  const unit = await adminFetch<{ agencyId: string; officialMailbox: string }>(
    DIRECTORY,
    'POST',
    '/admin/agencies',
    {
      province: 'bac-ninh',
      name: `Sở Kiểm thử sắp xếp ${abbreviation}`,
      abbreviation,
      unitType: 'agency',
    },
  );
  expect(unit.status, JSON.stringify(unit.body)).toBe(201);
  await waitFor(
    async () => {
      const m = await adminFetch<{ items: { address: string; state: string }[] }>(
        DIRECTORY,
        'GET',
        `/admin/directory/search?address=${encodeURIComponent(unit.body.officialMailbox)}`,
      );
      return m.body.items?.[0]?.state === 'active';
    },
    { what: 'the unit mailbox active', timeoutMs: 30_000 },
  );
  const plan = await adminFetch<{ id: string; mailboxesChanged: number }>(
    DIRECTORY,
    'POST',
    '/admin/reorganisations',
    {
      title: `Đổi tên ${abbreviation}`,
      basis: 'Quyết định kiểm thử',
      effectiveFrom,
      operations: [
        {
          op: 'rename_unit',
          unit: `bac-ninh/${abbreviation}`,
          name: `Sở Mới ${renamed}`,
          abbreviation: renamed,
        },
      ],
    },
  );
  expect(plan.status, JSON.stringify(plan.body)).toBeLessThan(300);
  return { id: plan.body.id, from: unit.body.officialMailbox, to: `${renamed}@bacninh.gov.vn` };
}

describe('a reorganisation in the console', () => {
  it('when two approvers approve a plan and one applies it, then the page shows its dry run, refuses a second approval by the same one, and follows the apply to its end', async () => {
    const plan = await planRenamingAUnit();
    const one = createFormClient();
    await one.logIn(op1);

    const list = await one.get('/reorganisations');
    expect(list.html).toContain(`href="/reorganisations/${plan.id}"`);

    const page = await one.get(`/reorganisations/${plan.id}`);
    expect(page.html).toContain('data-state="computed"');
    expect(page.html).toMatch(new RegExp(`<td>${plan.from}</td><td>${plan.to}</td>`));
    const searched = await one.get(
      `/reorganisations/${plan.id}?q=${encodeURIComponent(plan.from.split('@')[0]!)}`,
    );
    expect(searched.html).toContain(`<td>${plan.to}</td>`);
    const csv = await fetch(`${CONSOLE}/reorganisations/${plan.id}/changes.csv`, {
      headers: { cookie: [...one.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect((await csv.text()).split('\r\n')[1]).toContain(`,${plan.from},${plan.to},`);

    const first = await one.post(`/reorganisations/${plan.id}/approve`, {
      _csrf: one.csrfIn(page.html),
      reason: 'Đúng quyết định đổi tên',
    });
    expect(first.location).toBe(`/reorganisations/${plan.id}?notice=reorganisation_approved`);
    const again = await one.get(`/reorganisations/${plan.id}`);
    expect(again.html).toContain('Bạn đã phê duyệt phương án này');
    expect(again.html).not.toContain('data-action="approve"');
    const twice = await one.post(`/reorganisations/${plan.id}/approve`, {
      _csrf: one.csrfIn(again.html),
      reason: 'lần nữa',
    });
    expect(twice.location).toBe(`/reorganisations/${plan.id}?notice=reorganisation_refused`);

    const two = createFormClient();
    await two.logIn(op2);
    const second = await two.post(`/reorganisations/${plan.id}/approve`, {
      _csrf: await two.csrf(),
      reason: 'Đã đối chiếu danh sách',
    });
    expect(second.location).toBe(`/reorganisations/${plan.id}?notice=reorganisation_approved`);
    const approved = await two.get(`/reorganisations/${plan.id}`);
    expect(approved.html).toContain('data-state="approved"');
    expect(approved.html).toContain(op1.username);
    expect(approved.html).toContain(op2.username);

    const apply = await two.post(`/reorganisations/${plan.id}/apply`, { _csrf: two.csrfIn(approved.html) });
    expect(apply.location).toBe(`/reorganisations/${plan.id}?notice=reorganisation_applying`);
    const done = await waitFor(
      async () => {
        const p = await two.get(`/reorganisations/${plan.id}`);
        return p.html.includes('data-state="applied"') ? p.html : undefined;
      },
      { what: 'the plan applied', timeoutMs: 60_000 },
    );
    expect(done).toContain('data-progress="1/1"');
    expect(done).not.toContain('http-equiv="refresh"');
  });

  it('when a plan dated in the future is applied, then it is only scheduled: the page says when the directory applies it and nothing changes', async () => {
    const inThreeDays = new Date(Date.now() + 7 * 3_600_000 + 3 * 86_400_000).toISOString().slice(0, 10);
    const plan = await planRenamingAUnit(inThreeDays);
    for (const op of [op1, op2]) {
      const client = createFormClient();
      await client.logIn(op);
      const approved = await client.post(`/reorganisations/${plan.id}/approve`, {
        _csrf: await client.csrf(),
        reason: 'Đúng quyết định, hiệu lực sau',
      });
      expect(approved.location).toBe(`/reorganisations/${plan.id}?notice=reorganisation_approved`);
    }
    const two = createFormClient();
    await two.logIn(op2);
    const apply = await two.post(`/reorganisations/${plan.id}/apply`, { _csrf: await two.csrf() });
    expect(apply.location).toBe(`/reorganisations/${plan.id}?notice=reorganisation_scheduled`);
    const page = await two.get(`/reorganisations/${plan.id}`);
    expect(page.html).toContain('data-state="scheduled"');
    expect(page.html).toContain('Đã hẹn ngày thực hiện');
    expect(page.html).toContain(
      `data-scheduled-for="${new Date(`${inThreeDays}T00:00:00+07:00`).toISOString()}"`,
    );
    expect(page.html).not.toContain('http-equiv="refresh"');
    const list = await two.get('/reorganisations');
    expect(list.html).toContain('Đã hẹn ngày thực hiện');
    const mailbox = await adminFetch<{ items: { address: string }[] }>(
      DIRECTORY,
      'GET',
      `/admin/directory/search?address=${encodeURIComponent(plan.from)}`,
    );
    expect(mailbox.body.items?.[0]?.address).toBe(plan.from);
  });

  it('when an approver cancels a scheduled plan with a reason, then it is cancelled, never applied, the audit log shows it with the approver, and an operator without the right cannot', async () => {
    const inFiveDays = new Date(Date.now() + 7 * 3_600_000 + 5 * 86_400_000).toISOString().slice(0, 10);
    const plan = await planRenamingAUnit(inFiveDays);
    for (const op of [op1, op2]) {
      const client = createFormClient();
      await client.logIn(op);
      await client.post(`/reorganisations/${plan.id}/approve`, {
        _csrf: await client.csrf(),
        reason: 'Đúng quyết định, hiệu lực sau',
      });
    }
    const one = createFormClient();
    await one.logIn(op1);
    const csrf = await one.csrf();
    const apply = await one.post(`/reorganisations/${plan.id}/apply`, { _csrf: csrf });
    expect(apply.location).toBe(`/reorganisations/${plan.id}?notice=reorganisation_scheduled`);
    const scheduled = await one.get(`/reorganisations/${plan.id}`);
    expect(scheduled.html).toContain('data-action="cancel"');

    // an operator (no approvals.decide) sees no button and is refused
    const viewer = await createTestOperator('operator');
    const other = createFormClient();
    await other.logIn(viewer);
    expect((await other.get(`/reorganisations/${plan.id}`)).html).not.toContain('data-action="cancel"');
    const forbidden = await other.post(`/reorganisations/${plan.id}/cancel`, {
      _csrf: await other.csrf(),
      reason: 'Không có quyền',
    });
    expect(forbidden.status).toBe(403);
    // without a reason nothing happens
    const noReason = await one.post(`/reorganisations/${plan.id}/cancel`, { _csrf: csrf, reason: '' });
    expect(noReason.status).toBe(400);
    expect((await directoryPlan(plan.id)).state).toBe('scheduled');

    const reason = `Quyết định sắp xếp bị thu hồi ${letters(6)}`;
    const cancelled = await one.post(`/reorganisations/${plan.id}/cancel`, { _csrf: csrf, reason });
    expect(cancelled.location).toBe(`/reorganisations/${plan.id}?notice=reorganisation_cancelled`);
    const page = await one.get(`/reorganisations/${plan.id}`);
    expect(page.html).toContain('data-state="cancelled"');
    expect(page.html).toContain(`data-cancelled-by="${op1.username}"`);
    expect(page.html).toContain(reason);
    expect(page.html).not.toContain('data-action="cancel"');
    expect(page.html).not.toContain('data-scheduled-for');

    // the directory keeps who and why, never applies it, and refuses a second cancel and an apply
    expect(await directoryPlan(plan.id)).toMatchObject({
      state: 'cancelled',
      cancelled: { by: op1.username, reason },
    });
    const again = await one.post(`/reorganisations/${plan.id}/cancel`, { _csrf: csrf, reason });
    expect(again.location).toBe(`/reorganisations/${plan.id}?notice=reorganisation_cancel_refused`);
    const applyCancelled = await adminFetch(DIRECTORY, 'POST', `/admin/reorganisations/${plan.id}/apply`, {});
    expect(applyCancelled.status).toBe(409);
    const mailbox = await adminFetch<{ items: { address: string }[] }>(
      DIRECTORY,
      'GET',
      `/admin/directory/search?address=${encodeURIComponent(plan.from)}`,
    );
    expect(mailbox.body.items?.[0]?.address).toBe(plan.from);

    const auditor = await createTestOperator('auditor');
    const audit = createFormClient();
    await audit.logIn(auditor);
    const log = await audit.get(`/audit?username=${op1.username}&action=reorganisation.cancel`);
    const rows = log.html.split('<tr data-audit-id=').slice(1);
    expect(rows.map((r) => r.includes('Thành công'))).toEqual([false, true]);
    expect(rows[1]).toContain('Hủy phương án sắp xếp');
    expect(rows[1]).toContain(reason);
  });
});

async function directoryPlan(id: string) {
  const answer = await adminFetch<{ state: string; cancelled: unknown }>(
    DIRECTORY,
    'GET',
    `/admin/reorganisations/${id}`,
  );
  return answer.body;
}
