// An operator locks a hijacked mailbox (Bắc Ninh 4.2c) by filing a suspend for its agency through
// POST /admin/operator-requests with the console's operator token: the same path as an agency's
// request (approval rules, history, events, idempotency), the operator recorded as who filed it,
// and IMAP login refused once it completes. Real stack: requests, directory, provisioner, Dovecot.
import { randomUUID } from 'node:crypto';
import { createDb } from '@hopthu/shared/db';
import { operatorSigner, signOperatorToken } from '@hopthu/shared/operator-token';
import {
  createAgencyClient,
  imapLoginWorks,
  readDemoClients,
  serviceDatabaseUrl,
  serviceUrl,
  waitFor,
} from '@hopthu/shared/testing';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/schema.ts';

const BASE = serviceUrl('requests');
const db = createDb<Database>(serviceDatabaseUrl('requests'), { max: 2 });
afterAll(() => db.destroy());

// the console's own key (var/secrets.env): the running services trust what it signs
const consoleKey = operatorSigner(String(process.env.OPERATOR_SIGNING_KEY));
const as = async (name: string) =>
  `Bearer ${await signOperatorToken(consoleKey, { name, role: 'approver' })}`;

async function post(path: string, operator: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${BASE}${path}`, {
    method: 'POST',
    headers: { authorization: await as(operator), 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('operator-filed requests', () => {
  it('when an operator files a suspend for a hijacked mailbox, then it goes through the approval rules, is recorded against the operator, is filed once, and IMAP login is refused', async () => {
    const demo = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
    const agency = createAgencyClient(demo);
    const run = randomUUID().slice(0, 6);
    const created = await agency.submit({
      requester: { fullName: 'Nguyễn Thị Bình' },
      reference: { number: `${run}/KHOA`, date: '2026-11-20' },
      items: [
        {
          operation: 'create',
          mailboxType: 'personal',
          person: {
            familyName: 'Phạm',
            middleName: 'Văn',
            givenName: 'Khóa',
            position: 'Chuyên viên',
            department: `Phòng Khóa ${run}`,
          },
        },
      ],
    });
    expect(created.status).toBe(202);
    const done = await agency.waitFinished(created.body.id);
    const item = done.items[0]!;
    const credential = await agency.openCredential(String(item.credentialUrl));
    if (!('password' in credential)) throw new Error(`credential answered ${credential.status}`);
    expect(await imapLoginWorks(credential.address, credential.password)).toBe(true);

    const key = randomUUID();
    const body = {
      agencyId: demo.agencyId,
      requester: { fullName: 'op.an (trung tâm CNTT)' },
      reference: { number: `${run}/KHOA-VH`, date: '2026-12-03' },
      items: [
        {
          operation: 'suspend',
          address: credential.address,
          reason: 'Hộp thư bị chiếm đoạt (báo qua điện thoại)',
        },
      ],
    };
    const filed = await post('/admin/operator-requests', 'op.an', body, { 'idempotency-key': key });
    expect(filed.status).toBe(202);
    const requestId = String(filed.body.id);
    // exactly once: the same key and body answer the same request
    const again = await post('/admin/operator-requests', 'op.an', body, { 'idempotency-key': key });
    expect(again.body.id).toBe(requestId);
    expect(
      (await db.selectFrom('requests').select('id').where('idempotency_key', '=', key).execute()).length,
    ).toBe(1);

    // the province's approval rules apply as to an agency's suspend
    const [suspend] = await db
      .selectFrom('request_items')
      .selectAll()
      .where('request_id', '=', requestId)
      .execute();
    if (suspend!.status === 'pending_approval') {
      for (const operator of ['op.binh', 'op.chi'].slice(0, suspend!.approvals_needed)) {
        const decided = await post(`/admin/requests/${requestId}/items/${suspend!.id}/approve`, operator, {});
        expect(decided.status).toBe(200);
      }
    }
    await waitFor(
      async () => {
        const row = await db
          .selectFrom('request_items')
          .select('status')
          .where('id', '=', suspend!.id)
          .executeTakeFirst();
        return row?.status === 'completed' ? true : undefined;
      },
      { timeoutMs: 60_000, what: 'the suspend to complete' },
    );
    const history = await db
      .selectFrom('item_transitions')
      .select(['to_status', 'actor'])
      .where('item_id', '=', suspend!.id)
      .orderBy('id')
      .execute();
    expect(history[0]).toMatchObject({ actor: 'client:operator:op.an' });
    expect(await imapLoginWorks(credential.address, credential.password)).toBe(false);
  });

  it('when the filing body is invalid, then it is a 400 naming the field and nothing is filed', async () => {
    const key = randomUUID();
    const res = await post(
      '/admin/operator-requests',
      'op.an',
      {
        agencyId: 'x',
        requester: { fullName: 'op' },
        reference: { number: '1', date: 'hôm nay' },
        items: [],
      },
      { 'idempotency-key': key },
    );
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.errors)).toContain('/reference/date');
    expect(await db.selectFrom('requests').select('id').where('idempotency_key', '=', key).execute()).toEqual(
      [],
    );
  });
});
