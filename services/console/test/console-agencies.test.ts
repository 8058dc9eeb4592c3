// Issue 14: an operator manages the agency tree from the console in a real browser (Debian's
// Chromium, puppeteer-core): registers a unit under the demo agency from the tree page, renames it
// with a reason, and sees its versions, then files its dissolution, which two operators approve
// before the directory dissolves it; a unit code not in the form of QĐ 20/2020/QĐ-TTg is refused
// field by field and changes nothing; each action is in the audit chain under the operator's name
// and the directory records the operator as who changed the unit. A role without the permission
// (operator) cannot open the registration form.
import { randomUUID } from 'node:crypto';
import { adminFetch, readDemoClients, waitFor } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import {
  CONSOLE,
  createTestOperator,
  DIRECTORY,
  REQUESTS,
  useConsoleOperator,
  useServiceDb,
} from './console-helpers.ts';

const auditDb = useServiceDb('console');
const chrome = useConsoleOperator();

const textOf = (page: Page, selector: string) => page.$eval(selector, (n) => n.textContent ?? '');

async function send(page: Page, form: string) {
  await Promise.all([page.waitForNavigation(), page.click(`form.${form} button[type="submit"]`)]);
}

async function replaceValue(page: Page, selector: string, value: string) {
  await page.$eval(selector, (n) => {
    (n as unknown as { value: string }).value = '';
  });
  await page.type(selector, value);
}

describe('the agency tree in the console', () => {
  it('when an approver registers a unit and renames it, then the tree, the versions, the directory and the audit chain show it', async () => {
    const op = await createTestOperator('approver', 'Vũ Thị Tổ Chức');
    const stttt = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
    const abbreviation = `cq${randomUUID()
      .replace(/[^a-f]/g, '')
      .slice(0, 7)}`;
    const page = await chrome.pageAs(op, { width: 1300, height: 900 });

    await page.goto(`${CONSOLE}/agencies?province=bac-ninh`);
    expect(await textOf(page, 'main')).toContain('Sở Thông tin và Truyền thông');
    await Promise.all([page.waitForNavigation(), page.click('a[href^="/agencies/new"]')]);
    await page.type('#create-name', `Trung tâm Thử nghiệm ${abbreviation}`);
    await page.type('#create-abbreviation', abbreviation);
    await page.select('#create-type', 'subunit');
    await page.select('#create-parent', stttt.agencyId);
    await page.type('#create-code', '000.21.01.H27');
    await page.type('#create-reason', 'Quyết định thành lập số 30/QĐ-STTTT');
    await send(page, 'agency-create');
    expect(await textOf(page, '.notice')).toContain('Đã đăng ký đơn vị');
    expect(await textOf(page, '#agency-name')).toBe(`Trung tâm Thử nghiệm ${abbreviation}`);
    expect(await textOf(page, '#agency-unit-code')).toBe('000.21.01.H27');
    const agencyId = new URL(
      await page.$eval('form.agency-rename', (f) => f.getAttribute('action') ?? ''),
      CONSOLE,
    ).pathname.split('/')[2]!;

    // a malformed unit code: refused by field, nothing changed
    await replaceValue(page, '#recode-code', 'H07.30');
    await page.type('#recode-reason', 'Đổi mã');
    await send(page, 'agency-recode');
    expect(await textOf(page, '.notice')).toContain('Chưa có gì thay đổi');
    expect(await page.$('li[data-field="/unitCode"]')).not.toBeNull();
    expect(await textOf(page, '#agency-unit-code')).toBe('000.21.01.H27');

    await replaceValue(page, '#rename-name', `Trung tâm Chuyển đổi số ${abbreviation}`);
    await page.type('#rename-reason', 'Quyết định đổi tên số 31/QĐ-STTTT');
    await send(page, 'agency-rename');
    expect(await textOf(page, '.notice')).toContain('Đã đổi tên đơn vị');
    expect(await textOf(page, '#agency-name')).toBe(`Trung tâm Chuyển đổi số ${abbreviation}`);
    const versions = await page.$$eval('table.versions tbody tr', (rows) =>
      rows.map((r) => r.textContent ?? ''),
    );
    expect(versions).toHaveLength(2);
    expect(versions[0]).toContain('Quyết định đổi tên số 31/QĐ-STTTT');
    expect(versions[0]).toContain(op.username);

    await page.goto(`${CONSOLE}/agencies?province=bac-ninh`);
    await Promise.all([page.waitForNavigation(), page.click(`li[data-agency="${abbreviation}"] > a`)]);
    expect(new URL(page.url()).pathname).toBe(`/agencies/${agencyId}`);
    await page.goBack();
    expect(await textOf(page, `li[data-agency="${abbreviation}"]`)).toContain(
      `Trung tâm Chuyển đổi số ${abbreviation}`,
    );

    // dissolution: filed as a request that two different operators approve, then carried out
    await page.goto(`${CONSOLE}/agencies/${agencyId}`);
    await page.type('#dissolve-letter', '32/QĐ-STTTT');
    await page.type('#dissolve-reason', 'Quyết định giải thể số 32/QĐ-STTTT');
    await send(page, 'agency-dissolve');
    expect(await textOf(page, '.notice')).toContain('hai cán bộ khác nhau');
    const link = await page.$eval('#dissolution-request a', (a) => a.getAttribute('href') ?? '');
    const requestId = link.split('/')[2]!;
    const filed = await adminFetch<{
      clientId: string;
      items: { id: string; operation: string; approvalsNeeded: number }[];
    }>(REQUESTS, 'GET', `/admin/requests/${requestId}`);
    expect(filed.body.clientId).toBe(`operator:${op.username}`);
    const item = filed.body.items[0]!;
    expect(item).toMatchObject({ operation: 'dissolve_unit', approvalsNeeded: 2 });
    for (const approver of ['op.an', 'op.binh']) {
      const path = `/admin/requests/${requestId}/items/${item.id}/approve`;
      const approved = await adminFetch(REQUESTS, 'POST', path, { operator: approver });
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    }
    await waitFor(
      async () =>
        (await adminFetch(DIRECTORY, 'GET', `/admin/agencies/${agencyId}`)).body.dissolvedAt !== null,
      { timeoutMs: 30_000, what: 'the unit dissolved' },
    );
    await page.goto(`${CONSOLE}/agencies/${agencyId}`);
    expect(await textOf(page, 'main')).toContain('Giải thể');
    expect(await page.$('form.agency-rename')).toBeNull();

    const unit = await adminFetch(DIRECTORY, 'GET', `/admin/agencies/${agencyId}`);
    expect(unit.body).toMatchObject({
      name: `Trung tâm Chuyển đổi số ${abbreviation}`,
      parentId: stttt.agencyId,
      unitCode: '000.21.01.H27',
      officialMailbox: null,
    });
    const { rows } = await sql<{ action: string; outcome: string }>`
      SELECT action, outcome FROM audit_log WHERE username = ${op.username} AND action LIKE 'agency.%' ORDER BY id`.execute(
      auditDb,
    );
    expect(rows).toEqual([
      { action: 'agency.create', outcome: 'ok' },
      { action: 'agency.recode', outcome: 'refused' },
      { action: 'agency.rename', outcome: 'ok' },
      { action: 'agency.dissolve', outcome: 'ok' },
    ]);
  });

  it('when an operator without the permission opens the registration form, then it is refused', async () => {
    const { page } = await chrome.logIn('operator', 'Ngô Văn Xem');
    const answer = await page.goto(`${CONSOLE}/agencies/new?province=bac-ninh`);
    expect(answer?.status()).toBe(403);
    await page.goto(`${CONSOLE}/agencies?province=bac-ninh`);
    expect(await page.$('a[href^="/agencies/new"]')).toBeNull();
  });
});
