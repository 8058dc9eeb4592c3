// The console's list pages as an operator uses them on a real queue: a 500-item request must not
// silently fill the page, the filters take the names operators know (an agency's abbreviation, the
// letter's number), and the same list downloads as CSV.
import { randomUUID } from 'node:crypto';
import { adminFetch, createSqlPool, readDemoClients, serviceDatabaseUrl } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONSOLE,
  createFormClient,
  DIRECTORY,
  createTestOperator,
  type TestOperator,
  useConsole,
} from './console-helpers.ts';

const requestsDb = createSqlPool(serviceDatabaseUrl('requests'));
const provisionerDb = createSqlPool(serviceDatabaseUrl('provisioner'));
let op: TestOperator;

/** A waiting request of `count` suspend items from stttt under a letter number of its own. */
async function insertWaitingRequest(count: number, referenceNumber: string) {
  const stttt = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
  const id = randomUUID();
  const now = new Date();
  await requestsDb.query(
    `INSERT INTO requests (id, client_id, client_agency_id, agency_id, province, status, received_at, due_at,
       due_confirmed, reference, requester, idempotency_key, body_hash, response)
     VALUES ($1::uuid, $2, $3, $3, 'bac-ninh', 'pending_approval', $4, $5, true, $6, $7, $1::text, $1::text, '{}')`,
    [
      id,
      stttt.clientId,
      stttt.agencyId,
      now,
      new Date(now.getTime() + 2 * 86_400_000),
      JSON.stringify({ number: referenceNumber, date: '2026-11-20' }),
      JSON.stringify({ fullName: 'Nguyễn Thị Bình' }),
    ],
  );
  for (let seq = 0; seq < count; seq++) {
    await requestsDb.query(
      `INSERT INTO request_items (id, request_id, seq, operation, mailbox_type, agency_id, status, person,
         address, changes, approvals, approvals_needed)
       VALUES ($1, $2, $3, 'suspend', 'personal', $4, 'pending_approval', 'null', $5, 'null', '{}', 2)`,
      [randomUUID(), id, seq, stttt.agencyId, `ds${seq}-${id.slice(0, 8)}.stttt@bacninh.gov.vn`],
    );
  }
  return id;
}

beforeAll(async () => {
  await useConsole();
  op = await createTestOperator('operator');
});
afterAll(async () => {
  // The rows were made for this test only: leave the demo's queue as it was.
  await requestsDb.query(
    `DELETE FROM request_items WHERE request_id IN (SELECT id FROM requests WHERE reference->>'number' LIKE 'KT-DS-%')`,
  );
  await requestsDb.query(`DELETE FROM requests WHERE reference->>'number' LIKE 'KT-DS-%'`);
  await requestsDb.end();
  await provisionerDb.query(`DELETE FROM dead_letters WHERE source_key LIKE 'kt-ds-%'`);
  await provisionerDb.end();
});

describe('the approval queue as a list', () => {
  it('when one request holds 60 waiting items, then the queue says how many, pages through them and finds them by letter number', async () => {
    const number = `KT-DS-${randomUUID().slice(0, 6)}/STTTT-VP`;
    const requestId = await insertWaitingRequest(60, number);
    const browser = createFormClient();
    await browser.logIn(op);

    const first = await browser.get(`/approvals?reference=${encodeURIComponent(number.toLowerCase())}`);
    expect(first.status).toBe(200);
    expect(first.html).toContain('data-total="60"');
    expect(first.html).toContain('Hiển thị 1–50 trong <strong>60</strong>');
    expect(first.html.match(/data-request-id="[^"]+"/g)).toHaveLength(50);
    const next = /<a rel="next" href="([^"]+)"/.exec(first.html)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBeDefined();

    const second = await browser.get(next!);
    expect(second.html).toContain('Hiển thị 51–60 trong <strong>60</strong>');
    expect(second.html.match(new RegExp(`data-request-id="${requestId}"`, 'g'))).toHaveLength(10);
    expect(second.html).not.toContain('rel="next"');
  });

  it('when an operator filters by the agency abbreviation, then the items of that agency are listed (not "nothing pending")', async () => {
    const number = `KT-DS-${randomUUID().slice(0, 6)}/STTTT-VP`;
    const requestId = await insertWaitingRequest(3, number);
    const browser = createFormClient();
    await browser.logIn(op);
    const page = await browser.get(`/approvals?agencyId=stttt&reference=${encodeURIComponent(number)}`);
    expect(page.html.match(new RegExp(`data-request-id="${requestId}"`, 'g'))).toHaveLength(3);
    const elsewhere = await browser.get(
      `/approvals?agencyId=khongco&reference=${encodeURIComponent(number)}`,
    );
    expect(elsewhere.html).toContain('Không có mục nào chờ phê duyệt khớp với bộ lọc.');
  });

  it('when an operator downloads the queue as CSV, then Excel gets UTF-8 with a BOM and one line per item', async () => {
    const number = `KT-DS-${randomUUID().slice(0, 6)}/STTTT-VP`;
    await insertWaitingRequest(4, number);
    const browser = createFormClient();
    await browser.logIn(op);
    const page = await browser.get(`/approvals?reference=${encodeURIComponent(number)}`);
    const csvLink = /<a href="([^"]+)" download>Tải CSV<\/a>/.exec(page.html)?.[1]?.replaceAll('&amp;', '&');
    expect(csvLink).toBe(`/approvals.csv?reference=${encodeURIComponent(number)}`);
    const res = await fetch(`${CONSOLE}${csvLink}`, {
      headers: { cookie: [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Hạn xử lý,Cơ quan,Số văn bản,Ngày văn bản,Người đề nghị,Thao tác,Loại hộp thư,Hộp thư / người,Lý do,Đã duyệt,Cần,Mã yêu cầu,Mã mục',
    );
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^\d{2}:\d{2} \d{2}\/\d{2}\/\d{4},Sở Thông tin/);
    expect(lines[1]).toContain(`,${number},20/11/2026,Nguyễn Thị Bình,Tạm khóa,Cá nhân,`);
  });
});

describe('dead letters as a list', () => {
  it('when a command could not be applied, then the page shows its address and action, finds it by address, and exports it', async () => {
    const mailboxId = randomUUID();
    const address = `kt.ds${randomUUID().slice(0, 8)}@bacninh.gov.vn`;
    const id = randomUUID();
    await provisionerDb.query(
      `INSERT INTO dead_letters (id, source_key, command_id, mailbox_id, topic, partition, "offset", payload, error, attempts)
       VALUES ($1, $2, $3, $4, 'hopthu.provisioning.commands.v1', 0, '0', $5, 'invalid mail address', 1)`,
      [
        id,
        `kt-ds-${id}`,
        randomUUID(),
        mailboxId,
        JSON.stringify({
          type: 'vn.gov.hopthu.provisioning.command.v1',
          data: { action: 'suspend', address },
        }),
      ],
    );
    const browser = createFormClient();
    await browser.logIn(op);
    const page = await browser.get(`/dead-letters?show=all&address=${encodeURIComponent(address)}`);
    expect(page.html).toContain('data-total="1"');
    const row = new RegExp(`<tr id="dl-${id}">[\\s\\S]*?</tr>`).exec(page.html)?.[0] ?? '';
    expect(row).toContain(`<a href="/directory/mailboxes/${mailboxId}">${address}</a>`);
    expect(row).toContain('<td>Tạm khóa</td>');
    expect(row).not.toContain(`>${mailboxId}<`);

    const res = await fetch(`${CONSOLE}/dead-letters.csv?show=all&address=${encodeURIComponent(address)}`, {
      headers: { cookie: [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,${address},Tạm khóa,invalid mail address,1,,${id}`);
  });
});

describe('the directory as a list', () => {
  it('when an operator searches an agency, then the page says how many mailboxes there are, with their state, and the CSV holds them all', async () => {
    const direct = await adminFetch<{ total: number; items: { address: string; state: string }[] }>(
      DIRECTORY,
      'GET',
      '/admin/directory/search?agency=stttt&limit=1000',
    );
    expect(direct.status).toBe(200);
    expect(direct.body.total).toBeGreaterThan(0);
    const browser = createFormClient();
    await browser.logIn(op);
    const page = await browser.get('/directory?agency=stttt');
    expect(page.html).toContain(`data-total="${direct.body.total}"`);
    const rows = page.html.match(/<tr><td><a href="\/directory\/mailboxes\//g) ?? [];
    expect(rows).toHaveLength(Math.min(50, direct.body.total));
    expect(page.html).toContain('<td>Đang hoạt động</td>');

    const res = await fetch(`${CONSOLE}/directory.csv?agency=stttt`, {
      headers: { cookie: [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Địa chỉ,Tên,Loại,Trạng thái,Chức vụ,Phòng,Cơ quan,Tên viết tắt');
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(direct.body.items.map((i) => i.address).sort());
  });
});

describe('a form with text the stores cannot take', () => {
  it('when a reason holds a NUL character, then the page names the field in Vietnamese and English and nothing is sent on', async () => {
    const browser = createFormClient();
    await browser.logIn(await createTestOperator('approver'));
    const requestId = randomUUID();
    const itemId = randomUUID();
    const page = await browser.post(`/approvals/${requestId}/items/${itemId}/reject`, {
      _csrf: await browser.csrf(),
      reason: 'Lý do\u0000',
    });
    expect(page.status).toBe(400);
    expect(page.html).toMatch(/<li data-field="[^"]*reason">Trường <code>reason<\/code>: /);
    expect(page.html).toContain('role="alert"');
  });
});
