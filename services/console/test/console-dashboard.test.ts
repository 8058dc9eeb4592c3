// The dashboard and the reports in a real browser (Debian's Chromium driven by puppeteer-core).
// A month of requests is seeded in a past April (2021, with the Giỗ Tổ holiday on Wed 21/4, so
// working days are counted with the calendar) and two agencies with known staff and mailboxes are
// seeded in the directory; an operator opens the dashboard of that month and sees its figures and
// charts, follows a figure to its list, and opens and downloads the Phụ lục 1 report with the
// agencies' figures. The seeded rows are removed afterwards. Screenshots go to var/test/.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { readDemoClients, repoRoot } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE, deadlineOf, useConsoleOperator, useServiceDb } from './console-helpers.ts';

const SHOTS = path.join(repoRoot, 'var/test');
const requestsDb = useServiceDb('requests');
const directoryDb = useServiceDb('directory');
const chrome = useConsoleOperator();

const seededRequests: string[] = [];
const seededAgencies: string[] = [];

// Received → finished, Vietnam time; Bắc Ninh answers within 2 working days.
const APRIL_2021: { received: string; finished: string | null }[] = [
  { received: '2021-04-01T10:00:00+07:00', finished: '2021-04-02T09:00:00+07:00' }, // 1 working day
  { received: '2021-04-02T15:00:00+07:00', finished: '2021-04-06T11:00:00+07:00' }, // Fri → Tue: 2
  { received: '2021-04-05T08:30:00+07:00', finished: '2021-04-08T16:00:00+07:00' }, // 3: late
  { received: '2021-04-05T09:00:00+07:00', finished: '2021-04-05T15:00:00+07:00' }, // same day
  { received: '2021-04-20T10:00:00+07:00', finished: '2021-04-23T10:00:00+07:00' }, // 21/4 holiday: 2
];

async function seedApril(agencyId: string) {
  for (const r of APRIL_2021) {
    const id = randomUUID();
    seededRequests.push(id);
    await sql`INSERT INTO requests (id, client_id, client_agency_id, agency_id, province, status, received_at,
        due_at, due_confirmed, reference, requester, idempotency_key, body_hash, response, finished_at)
      VALUES (${id}, 'kt-dashboard', ${agencyId}, ${agencyId}, 'bac-ninh', 'completed', ${r.received},
        ${deadlineOf(r.received)}, true, ${JSON.stringify({ number: `KT-${id.slice(0, 6)}`, date: r.received.slice(0, 10) })},
        ${JSON.stringify({ fullName: 'Kiểm thử' })}, ${id}, 'kt', '{}', ${r.finished})`.execute(requestsDb);
  }
}

/** An agency with people and mailboxes in given states; returns its id. */
async function seedAgency(
  abbreviation: string,
  name: string,
  mailboxes: { person: boolean; type: 'personal' | 'agency'; state: string; lastActivityDaysAgo?: number }[],
  peopleWithoutMailbox: number,
) {
  const id = randomUUID();
  seededAgencies.push(id);
  const domain = 'baocao-kiemthu.invalid';
  await sql`INSERT INTO agencies (id, province, domain, name, folded_name, abbreviation, unit_type)
    VALUES (${id}, 'bac-ninh', ${domain}, ${name}, ${name.toLowerCase()}, ${abbreviation}, 'department')`.execute(
    directoryDb,
  );
  const person = async () => {
    const pid = randomUUID();
    await sql`INSERT INTO people (id, province, family_name, middle_name, given_name, folded_name, agency_id)
      VALUES (${pid}, 'bac-ninh', 'Nguyễn', 'Văn', 'Kiểm', 'nguyen van kiem', ${id})`.execute(directoryDb);
    return pid;
  };
  for (let i = 0; i < peopleWithoutMailbox; i++) await person();
  for (const [i, m] of mailboxes.entries()) {
    const local = `${abbreviation}.${m.type}${i}`;
    const last =
      m.lastActivityDaysAgo === undefined ? null : new Date(Date.now() - m.lastActivityDaysAgo * 86_400_000);
    await sql`INSERT INTO mailboxes (id, address, local_part, domain, province, type, state, agency_id, person_id,
        quota_bytes, generation, last_activity_at)
      VALUES (${randomUUID()}, ${`${local}@${domain}`}, ${local}, ${domain}, 'bac-ninh', ${m.type}, ${m.state}, ${id},
        ${m.person ? await person() : null}, 1073741824, 1, ${last})`.execute(directoryDb);
  }
  return id;
}

beforeAll(() => {
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  if (seededRequests.length > 0) {
    await sql`DELETE FROM requests WHERE id IN (${sql.join(seededRequests)})`.execute(requestsDb);
  }
  if (seededAgencies.length > 0) {
    const ids = sql.join(seededAgencies);
    await sql`DELETE FROM mailboxes WHERE agency_id IN (${ids})`.execute(directoryDb);
    await sql`DELETE FROM people WHERE agency_id IN (${ids})`.execute(directoryDb);
    await sql`DELETE FROM agencies WHERE id IN (${ids})`.execute(directoryDb);
  }
});

const figure = (page: Page, id: string) => page.$eval(`[data-figure="${id}"]`, (n) => n.textContent ?? '');
const cells = (page: Page, selector: string) =>
  page.$$eval(`${selector} td`, (tds) => tds.map((td) => (td.textContent ?? '').trim()));

async function openPage(width = 1366) {
  return (await chrome.logIn('auditor', 'Trần Thị Báo Cáo', { width, height: 900 })).page;
}

describe('the dashboard and reports in a real browser', () => {
  it('when a month of requests is seeded, then its dashboard shows the figures and charts, each linked to its list', async () => {
    const stttt = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
    await seedApril(stttt.agencyId);
    const page = await openPage();
    // The console's home is the dashboard.
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    await page.goto(`${CONSOLE}/dashboard?den=2021-04-30`);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Tổng quan');
    expect(await figure(page, 'received')).toBe('5');
    // 4 of 5 answered by 24:00 of the 2nd working day; the 3-working-day one was late.
    expect(await figure(page, 'sla')).toBe('80 %');
    expect(await page.$eval('#fig-sla', (a) => a.textContent)).toContain('(4/5)');
    const perDay = await page.$$eval('#chart-per-day rect.bar', (rs) =>
      rs.map((r) => [r.getAttribute('data-label'), Number(r.getAttribute('data-value'))] as const),
    );
    expect(perDay).toHaveLength(30);
    expect(perDay[0]).toEqual(['01/04', 1]);
    expect(perDay.find(([d]) => d === '05/04')).toEqual(['05/04', 2]);
    expect(perDay.reduce((n, [, v]) => n + v, 0)).toBe(5);
    const times = await page.$$eval('#chart-result-times rect.bar', (rs) =>
      rs.map((r) => Number(r.getAttribute('data-value'))),
    );
    // same day, 1 working day, 2 (Fri → Tue; Tue → Fri over the holiday), 3–5, more
    expect(times).toEqual([1, 1, 2, 1, 0]);
    for (const id of ['open', 'due-today', 'overdue', 'dead-letters', 'state-active']) {
      expect(await figure(page, id)).toMatch(/^\d+$/);
    }
    expect(await page.$$eval('#by-agency tbody tr', (rows) => rows.length)).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, 'console-dashboard.png'), fullPage: true });
    // Each figure opens the list it counts.
    await Promise.all([page.waitForNavigation(), page.click('#fig-overdue')]);
    expect(page.url()).toBe(`${CONSOLE}/deadlines?overdue=true`);
    await page.goto(`${CONSOLE}/dashboard?den=2021-04-30`);
    await Promise.all([page.waitForNavigation(), page.click('#fig-sla')]);
    expect(page.url()).toBe(`${CONSOLE}/reports/sla?tu=2021-04-01&den=2021-04-30`);
    const stRow = await cells(page, `#sla tr[data-agency-id="${stttt.agencyId}"]`);
    expect(stRow.slice(1)).toEqual(['5', '4', '1', '0', '80 %']);
  });

  it('when agencies with known staff and mailboxes are seeded, then Phụ lục 1 shows and downloads their figures', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const a = await seedAgency(
      `ktbca${tag}`,
      `Sở Kiểm thử báo cáo A ${tag}`,
      [
        { person: true, type: 'personal', state: 'active', lastActivityDaysAgo: 2 },
        { person: true, type: 'personal', state: 'active', lastActivityDaysAgo: 60 },
        { person: true, type: 'personal', state: 'locked', lastActivityDaysAgo: 1 },
        { person: false, type: 'agency', state: 'active' },
      ],
      1,
    );
    const b = await seedAgency(
      `ktbcb${tag}`,
      `Sở Kiểm thử báo cáo B ${tag}`,
      [
        { person: true, type: 'personal', state: 'suspended', lastActivityDaysAgo: 3 },
        { person: true, type: 'personal', state: 'deleted', lastActivityDaysAgo: 3 },
      ],
      0,
    );
    const page = await openPage();
    await page.goto(`${CONSOLE}/reports`);
    await Promise.all([page.waitForNavigation(), page.click('a[href^="/reports/phu-luc-1"]')]);
    const year = new Date().getFullYear();
    expect(await page.$eval('h1', (h) => h.textContent)).toBe(`Báo cáo năm ${year} (Phụ lục 1)`);
    // STT, name, staff, with a mailbox, share, regular users, share, directory published
    const rowA = await cells(page, `#phu-luc-1 tr[data-agency-id="${a}"]`);
    expect(rowA.slice(2)).toEqual(['4', '3', '75 %', '1', '33,3 %', 'Có (3 địa chỉ)']);
    const rowB = await cells(page, `#phu-luc-1 tr[data-agency-id="${b}"]`);
    expect(rowB.slice(2)).toEqual(['2', '1', '50 %', '0', '0 %', 'Chưa công khai']);
    await page.$eval(`#phu-luc-1 tr[data-agency-id="${a}"]`, (tr) => tr.scrollIntoView());
    await page.screenshot({ path: path.join(SHOTS, 'console-phu-luc-1.png') });

    // The CSV, downloaded by the browser as an operator clicks it.
    const downloads = path.join(SHOTS, `downloads-${tag}`);
    await chrome.allowDownloads(page, downloads);
    await page.click('a[href^="/reports/phu-luc-1.csv"]');
    const file = path.join(downloads, `phu-luc-1-${year}.csv`);
    for (let i = 0; i < 50 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
    const csv = readFileSync(file, 'utf8');
    expect(csv.startsWith('\uFEFFSTT,"Cơ quan, đơn vị",Tên viết tắt,Số cán bộ')).toBe(true);
    const line = csv.split('\r\n').find((l) => l.includes(`ktbca${tag}`));
    expect(line?.endsWith(`,ktbca${tag},4,3,75 %,1,"33,3 %",Có (3 địa chỉ)`)).toBe(true);
    expect(readdirSync(downloads)).toHaveLength(1);
    rmSync(downloads, { recursive: true, force: true });

    // The printable page hides the navigation and the form.
    await page.emulateMediaType('print');
    const display = (selector: string) =>
      page.evaluate(`getComputedStyle(document.querySelector('${selector}')).display`);
    expect(await display('header')).toBe('none');
    expect(await display('form.filters')).toBe('none');
  });
});
