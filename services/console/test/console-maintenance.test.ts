// Bảo trì on the real stack: an operator's weekday maintenance window is refused on the form with
// the notifier's reason naming Bắc Ninh Điều 10 khoản 2 điểm b, and the form keeps what was typed;
// without the CSRF token nothing is sent. (The notifier's own test mails an accepted window.)
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
  });
});
