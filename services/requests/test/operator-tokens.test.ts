// Operators are who the services say they are (issue 14): a requests instance started without
// ADMIN_TOKEN accepts only operator tokens signed with the key its OPERATOR_JWKS_URL publishes,
// records the token's operator as the approver, refuses a body or X-Operator naming someone else,
// and never counts two approvals by one operator as two. The keys are the test's own (served by a
// small JWK set server), the instance is the real service on a spare port against the real database.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createDb } from '@hopthu/shared/db';
import { operatorSigner, signOperatorToken } from '@hopthu/shared/operator-token';
import {
  readDemoClients,
  type ServiceProcess,
  serviceDatabaseUrl,
  startServiceProcess,
  testAdminToken,
} from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/schema.ts';

const PORT = 3191;
const BASE = `http://127.0.0.1:${PORT}`;
const db = createDb<Database>(serviceDatabaseUrl('requests'), { max: 2 });
const signer = operatorSigner(`test-op:${randomBytes(32).toString('base64url')}`);
const stranger = operatorSigner(`test-op:${randomBytes(32).toString('base64url')}`); // same kid, other key
let jwks: Server;
let instance: ServiceProcess | undefined;

beforeAll(async () => {
  jwks = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(signer.jwks));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const address = jwks.address() as { port: number };
  const saved = process.env.ADMIN_TOKEN;
  delete process.env.ADMIN_TOKEN; // the static token switched off
  try {
    instance = await startServiceProcess('requests', {
      url: BASE,
      env: { OPERATOR_JWKS_URL: `http://127.0.0.1:${address.port}/jwks.json`, PUBLIC_URL: BASE },
    });
  } finally {
    if (saved !== undefined) process.env.ADMIN_TOKEN = saved;
  }
});

afterAll(async () => {
  await instance?.stop();
  jwks?.close();
  await db.destroy();
});

/** An item waiting for two approvals, as a submit leaves it (stttt, Bắc Ninh). */
async function pendingItem(): Promise<{ requestId: string; itemId: string }> {
  const stttt = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
  const requestId = randomUUID();
  const itemId = randomUUID();
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('requests')
      .values({
        id: requestId,
        client_id: stttt.clientId,
        client_agency_id: stttt.agencyId,
        agency_id: stttt.agencyId,
        province: 'bac-ninh',
        status: 'pending_approval',
        received_at: now,
        due_at: new Date(now.getTime() + 2 * 86_400_000),
        due_confirmed: true,
        reference: JSON.stringify({ number: `${requestId.slice(0, 4)}/OPTOKEN`, date: '2026-11-20' }),
        requester: JSON.stringify({ fullName: 'Nguyễn Thị Bình' }),
        idempotency_key: requestId,
        body_hash: requestId,
        response: JSON.stringify({ dueAt: now.toISOString() }),
      })
      .execute();
    await trx
      .insertInto('request_items')
      .values({
        id: itemId,
        request_id: requestId,
        seq: 0,
        operation: 'delete',
        mailbox_type: 'personal',
        agency_id: stttt.agencyId,
        status: 'pending_approval',
        person: JSON.stringify(null),
        address: `khongco-${itemId.slice(0, 8)}.stttt@bacninh.gov.vn`,
        changes: JSON.stringify(null),
        reason: 'nghỉ hưu',
        approvals_needed: 2,
      })
      .execute();
  });
  return { requestId, itemId };
}

async function approve(
  item: { requestId: string; itemId: string },
  authorization: string,
  options: { body?: Record<string, string>; operatorHeader?: string } = {},
) {
  const res = await fetch(`${BASE}/admin/requests/${item.requestId}/items/${item.itemId}/approve`, {
    method: 'POST',
    headers: {
      authorization,
      'content-type': 'application/json',
      ...(options.operatorHeader ? { 'x-operator': options.operatorHeader } : {}),
    },
    body: JSON.stringify(options.body ?? {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const tokenFor = async (name: string, role = 'approver', key = signer, now = new Date()) =>
  `Bearer ${await signOperatorToken(key, { name, role }, now)}`;

async function approvals(itemId: string) {
  const row = await db
    .selectFrom('request_items')
    .select(['status', 'approvals'])
    .where('id', '=', itemId)
    .executeTakeFirstOrThrow();
  return row;
}

describe('operator tokens', () => {
  it('when the static token is switched off, then it and a forged operator header are refused and nothing changes', async () => {
    const item = await pendingItem();
    const withStatic = await approve(item, `Bearer ${testAdminToken}`, { operatorHeader: 'op.an' });
    expect(withStatic.status).toBe(401);
    const headerOnly = await approve(item, '', { operatorHeader: 'op.an', body: { operator: 'op.an' } });
    expect(headerOnly.status).toBe(401);
    // signed by a key the console does not publish, or expired: not an operator
    expect((await approve(item, await tokenFor('op.an', 'approver', stranger))).status).toBe(401);
    const longAgo = new Date(Date.now() - 10 * 60_000);
    expect((await approve(item, await tokenFor('op.an', 'approver', signer, longAgo))).status).toBe(401);
    expect(await approvals(item.itemId)).toEqual({ status: 'pending_approval', approvals: [] });
  });

  it('when an operator token names one operator, then a body or header naming another is refused', async () => {
    const item = await pendingItem();
    const forgedHeader = await approve(item, await tokenFor('op.an'), { operatorHeader: 'op.binh' });
    expect(forgedHeader.status).toBe(403);
    expect(forgedHeader.body).toMatchObject({ code: 'forbidden', errors: [{ field: '/operator' }] });
    const forgedBody = await approve(item, await tokenFor('op.an'), { body: { operator: 'op.binh' } });
    expect(forgedBody.status).toBe(403);
    expect(await approvals(item.itemId)).toEqual({ status: 'pending_approval', approvals: [] });
  });

  it('when one operator approves twice, under any name, then it counts once; a second operator completes it', async () => {
    const item = await pendingItem();
    const first = await approve(item, await tokenFor('op.an'));
    expect(first).toMatchObject({ status: 200, body: { status: 'pending_approval', approvals: ['op.an'] } });
    const again = await approve(item, await tokenFor('op.an'), { operatorHeader: 'op.an' });
    expect(again.status).toBe(409);
    const asOther = await approve(item, await tokenFor('op.an'), { body: { operator: 'op.an2' } });
    expect(asOther.status).toBe(403);
    expect(await approvals(item.itemId)).toEqual({ status: 'pending_approval', approvals: ['op.an'] });
    const second = await approve(item, await tokenFor('op.binh'));
    expect(second).toMatchObject({
      status: 200,
      body: { status: 'approved', approvals: ['op.an', 'op.binh'] },
    });
  });
});
