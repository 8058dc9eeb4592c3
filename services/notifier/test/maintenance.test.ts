// Planned downtime on the real stack (Bắc Ninh Điều 10 khoản 2 điểm b): an operator schedules
// maintenance over the notifier's admin API; a weekday window or one with less than 2 working days'
// notice is refused naming the article (problem+json, Vietnamese and English) and sends nothing;
// an accepted window is mailed to every agency mailbox concerned, read here over IMAP.
import { randomUUID } from 'node:crypto';
import { addDays, addWorkingDays, dayOfWeek, toLocalDate } from '@hopthu/calendar';
import { adminFetch, messageIdsInInbox, readStack, serviceUrl, waitFor } from '@hopthu/shared/testing';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';

const stack = readStack();
const notifier = serviceUrl('notifier');
const directory = serviceUrl('directory');

/** The first Saturday at least 2 working days after today (Vietnam). */
function nextAllowedSaturday(): string {
  let day = addWorkingDays(toLocalDate(new Date()), 2);
  while (dayOfWeek(day) !== 6) day = addDays(day, 1);
  return day;
}

const schedule = (body: Record<string, unknown>) => adminFetch(notifier, 'POST', '/admin/maintenance', body);

describe('planned downtime (Bắc Ninh Điều 10 khoản 2 điểm b)', () => {
  it('when the window is on a weekday or announced too late, then it is refused naming the article', async () => {
    let monday = addDays(toLocalDate(new Date()), 7);
    while (dayOfWeek(monday) !== 1) monday = addDays(monday, 1);
    const weekday = await schedule({
      startsAt: `${monday}T22:00:00+07:00`,
      endsAt: `${monday}T23:00:00+07:00`,
      reason: 'Nâng cấp máy chủ',
      operator: 'op.baotri',
      provinces: ['bac-ninh'],
    });
    expect(weekday.status).toBe(400);
    const errors = weekday.body.errors as { field: string; message: { vi: string; en: string } }[];
    expect(errors[0]).toMatchObject({ field: '/startsAt' });
    expect(errors[0]?.message.en).toContain('Điều 10 khoản 2 điểm b');
    expect(errors[0]?.message.vi).toContain('thứ Bảy hoặc Chủ nhật');

    const past = await schedule({
      startsAt: new Date(Date.now() + 3600_000).toISOString(),
      endsAt: new Date(Date.now() + 7200_000).toISOString(),
      reason: 'Nâng cấp máy chủ',
      operator: 'op.baotri',
      provinces: ['bac-ninh'],
    });
    expect(past.status).toBe(400);
    expect(JSON.stringify(past.body.errors)).toContain('working days ahead');
  });

  it('when a weekend window is announced in time, then every agency mailbox concerned receives the notice', async () => {
    const abbreviation = `bt${randomUUID()
      .replace(/[^a-z]/g, '')
      .slice(0, 8)}`;
    const password = `Bt-${randomUUID().slice(0, 10)}9`;
    const made = await adminFetch(directory, 'POST', '/admin/agencies', {
      province: 'khanh-hoa',
      name: `Phòng Bảo trì ${abbreviation}`,
      abbreviation,
      unitType: 'agency',
      officialMailboxPasswordHash: `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const address = String(made.body.officialMailbox);
    await waitFor(
      async () =>
        (await adminFetch(notifier, 'GET', `/admin/agencies/${made.body.agencyId}`)).body.officialMailbox ===
        address,
      { what: 'the notifier knows the new agency mailbox', timeoutMs: 60_000 },
    );

    const saturday = nextAllowedSaturday();
    const answer = await schedule({
      startsAt: `${saturday}T22:00:00+07:00`,
      endsAt: `${addDays(saturday, 1)}T04:00:00+07:00`,
      reason: 'Nâng cấp máy chủ thư',
      operator: 'op.baotri',
      provinces: ['khanh-hoa'],
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body.recipients).toBeGreaterThanOrEqual(1);
    await waitFor(
      async () =>
        (await messageIdsInInbox(address, password, 'planned maintenance', stack.imap)).length === 1,
      { what: `the maintenance notice in ${address}`, timeoutMs: 60_000 },
    );
  });
});
