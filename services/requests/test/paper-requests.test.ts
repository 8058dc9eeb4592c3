// An operator enters an agency's paper request (Mẫu 01/02/03, Bắc Ninh's Phụ lục 2) with its
// PDF scan through POST /admin/paper-requests: filed as the agency's own request would be (same
// validation and field errors), the scan kept with it in the same transaction, checked as a PDF
// by its first bytes, downloadable byte for byte, and a replay files nothing twice. Real service.
import { randomUUID } from 'node:crypto';
import { createDb } from '@hopthu/shared/db';
import { operatorSigner, signOperatorToken } from '@hopthu/shared/operator-token';
import { readDemoClients, serviceDatabaseUrl, serviceUrl } from '@hopthu/shared/testing';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/schema.ts';

const BASE = serviceUrl('requests');
const db = createDb<Database>(serviceDatabaseUrl('requests'), { max: 2 });
afterAll(() => db.destroy());

const consoleKey = operatorSigner(String(process.env.OPERATOR_SIGNING_KEY));
const as = async (name: string) =>
  `Bearer ${await signOperatorToken(consoleKey, { name, role: 'operator' })}`;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: {
      authorization: await as('op.giay'),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    type,
    bytes,
    body: (type.includes('json') ? JSON.parse(bytes.toString('utf8')) : {}) as Record<string, unknown>,
  };
}

const pdf = (run: string) =>
  Buffer.from(`%PDF-1.4\n% Mẫu 01 ${run}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`, 'utf8');

function paper(run: string, overrides: Record<string, unknown> = {}) {
  const stttt = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
  return {
    agencyId: stttt.agencyId,
    requester: { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng', phone: '0222 3822 000' },
    reference: { number: `${run}/STTTT-VP`, date: '2026-12-01' },
    items: [
      {
        operation: 'create',
        mailboxType: 'personal',
        person: {
          familyName: 'Hoàng',
          middleName: 'Thị',
          givenName: 'Giấy',
          position: 'Chuyên viên',
          department: `Phòng Giấy ${run}`,
        },
      },
    ],
    form: 'mau01',
    scan: { fileName: `Mẫu 01 ${run}.pdf`, content: pdf(run).toString('base64') },
    ...overrides,
  };
}

const requestsWith = async (key: string) =>
  db.selectFrom('requests').select(['id', 'client_id']).where('idempotency_key', '=', key).execute();

describe('paper requests entered by an operator', () => {
  it('when an operator enters a Mẫu 01 with its PDF, then it is filed once as the operator, and the scan downloads byte for byte', async () => {
    const run = randomUUID().slice(0, 8);
    const key = randomUUID();
    const filed = await call('POST', '/admin/paper-requests', paper(run), { 'idempotency-key': key });
    expect(filed.status, JSON.stringify(filed.body)).toBe(202);
    const requestId = String(filed.body.id);
    const again = await call('POST', '/admin/paper-requests', paper(run), { 'idempotency-key': key });
    expect(again.body.id).toBe(requestId);
    expect(await requestsWith(key)).toEqual([{ id: requestId, client_id: 'operator:op.giay' }]);

    const list = await call('GET', `/admin/requests/${requestId}/attachments`);
    expect(list.status).toBe(200);
    const items = list.body.items as { id: string; form: string; fileName: string; sizeBytes: number }[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      form: 'mau01',
      fileName: `Mẫu 01 ${run}.pdf`,
      sizeBytes: pdf(run).length,
    });

    const download = await call('GET', `/admin/requests/${requestId}/attachments/${items[0]!.id}`);
    expect(download.status).toBe(200);
    expect(download.type).toBe('application/pdf');
    expect(download.bytes.equals(pdf(run))).toBe(true);
  });

  it('when the scan is not a PDF, then it is a 400 naming /scan/content and nothing is filed', async () => {
    const key = randomUUID();
    const zip = Buffer.from('PK\u0003\u0004 not a pdf').toString('base64');
    const res = await call(
      'POST',
      '/admin/paper-requests',
      paper(randomUUID().slice(0, 8), { scan: { fileName: 'don.pdf', content: zip } }),
      { 'idempotency-key': key },
    );
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['/scan/content']);
    expect(await requestsWith(key)).toEqual([]);
  });

  it("when a person's given name is missing, then the error names the field as the agency API does, and nothing is filed", async () => {
    const key = randomUUID();
    const body = paper(randomUUID().slice(0, 8));
    const item = body.items[0] as { person: Record<string, unknown> };
    delete item.person.givenName;
    const res = await call('POST', '/admin/paper-requests', body, { 'idempotency-key': key });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.errors)).toContain('/items/0/person');
    expect(JSON.stringify(res.body.errors)).toContain('givenName');
    expect(await requestsWith(key)).toEqual([]);
  });

  it('when a Mẫu 03 carries a create, then /items/0/operation is named and nothing is filed', async () => {
    const key = randomUUID();
    const res = await call(
      'POST',
      '/admin/paper-requests',
      paper(randomUUID().slice(0, 8), { form: 'mau03' }),
      {
        'idempotency-key': key,
      },
    );
    expect(res.status).toBe(400);
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['/items/0/operation']);
    expect(await requestsWith(key)).toEqual([]);
  });
});
