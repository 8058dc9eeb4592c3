// Bảo trì on the real stack: an operator's weekday maintenance window is refused on the form with
// the notifier's reason naming Bắc Ninh Điều 10 khoản 2 điểm b, and the form keeps what was typed;
// without the CSRF token nothing is sent. Every schedule, refused or accepted, is in the audit log
// with the operator who made it. (The notifier's own test mails an accepted window.)
import { randomUUID } from 'node:crypto';
import { addDays, dayOfWeek, toLocalDate } from '@hopthu/calendar';
import { describe, expect, it } from 'vitest';
import { createFormClient, createTestOperator, useConsole } from './console-helpers.ts';

useConsole();

describe('console: planned maintenance', () => {
  it('when an operator schedules a weekday window, then the form shows the refusal with the article', async () => {
    const operator = await createTestOperator('operator', 'Cán bộ bảo trì');
    const browser = createFormClient();
    expect((await browser.logIn(operator)).status).toBe(303);
    const page = await browser.get('/maintenance');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Lên lịch và gửi thông báo');
    expect(page.html).toContain('href="/maintenance"');
    const csrf = browser.csrfIn(page.html);

    let monday = addDays(toLocalDate(new Date()), 7);
    while (dayOfWeek(monday) !== 1) monday = addDays(monday, 1);
    const form = { startsAt: `${monday}T22:00`, endsAt: `${monday}T23:30`, reason: 'Nâng cấp máy chủ' };
    const noCsrf = await browser.post('/maintenance', form);
    expect(noCsrf.status).toBe(403);

    const refused = await browser.post('/maintenance', { _csrf: csrf, ...form });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('Lịch bảo trì bị từ chối');
    expect(refused.html).toContain('Điều 10 khoản 2 điểm b');
    expect(refused.html).toContain(`value="${monday}T22:00"`);

    const auditor = await createTestOperator('auditor', 'Kiểm soát viên bảo trì');
    const audit = createFormClient();
    expect((await audit.logIn(auditor)).status).toBe(303);
    const log = await audit.get(`/audit?username=${operator.username}&action=maintenance.schedule`);
    expect(log.status).toBe(200);
    const rows = auditRows(log.html);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Lên lịch bảo trì');
    expect(rows[0]).toContain('Bị từ chối');
    expect(rows[0]).toContain('Điều 10 khoản 2 điểm b');
  });

  it('when an operator schedules a weekend window with notice, then it is sent and the audit log shows it with the operator', async () => {
    const operator = await createTestOperator('operator', 'Cán bộ bảo trì cuối tuần');
    const browser = createFormClient();
    expect((await browser.logIn(operator)).status).toBe(303);
    const csrf = browser.csrfIn((await browser.get('/maintenance')).html);

    // a Saturday at least two weeks ahead: more than 2 working days' notice whatever today is
    let saturday = addDays(toLocalDate(new Date()), 14);
    while (dayOfWeek(saturday) !== 6) saturday = addDays(saturday, 1);
    const reason = `Nâng cấp máy chủ thư ${randomUUID().slice(0, 8)}`;
    const sent = await browser.post('/maintenance', {
      _csrf: csrf,
      startsAt: `${saturday}T08:00`,
      endsAt: `${saturday}T11:00`,
      reason,
      // one province's agencies only, so the test mails few agency mailboxes
      province: 'thanh-hoa',
    });
    expect(sent.status, sent.html).toBe(303);
    expect(sent.location).toMatch(/^\/maintenance\?sent=\d+$/);

    const auditor = await createTestOperator('auditor', 'Kiểm soát viên bảo trì');
    const audit = createFormClient();
    expect((await audit.logIn(auditor)).status).toBe(303);
    const log = await audit.get(`/audit?username=${operator.username}&action=maintenance.schedule`);
    const rows = auditRows(log.html);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(operator.username);
    expect(rows[0]).toContain('Lên lịch bảo trì');
    expect(rows[0]).toContain('Thành công');
    expect(rows[0]).toContain(reason);
    expect(rows[0]).toContain(`${saturday}T08:00:00+07:00`);
    expect(rows[0]).toContain('thanh-hoa');
    expect(rows[0]).toContain(`maintenance:`);
  });
});

/** The audit table's rows (each entry is one `<tr data-audit-id>`). */
const auditRows = (html: string) =>
  html
    .split('<tr data-audit-id=')
    .slice(1)
    .map((row) => row.slice(0, row.indexOf('</tr>')));
