// The operators' approval API against the running requests service and its database: the queue,
// two different operators, rejection reasons, the events each decision leaves in the outbox in
// the same transaction, and a decision that fails half way changing nothing. Requests are written
// straight into the database here (as a submit would leave them), so these tests depend on
// nothing but this service; test/operations.test.ts runs the same decisions end to end.
import { createSecretKey, randomUUID } from 'node:crypto';
import { systemClock } from '@hopthu/shared/clock';
import { createDb } from '@hopthu/shared/db';
import {
  ensureService,
  readDemoClients,
  serviceDatabaseUrl,
  serviceUrl,
  testAdminToken,
} from '@hopthu/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/schema.ts';
import { approveItem } from '../src/domain/approval/approve-item.ts';

const BASE = serviceUrl('requests');
const ADMIN_TOKEN = testAdminToken;
const DATABASE_URL = serviceDatabaseUrl('requests');

const db = createDb<Database>(DATABASE_URL, { max: 2 });
let stop: () => Promise<void> = async () => {};

beforeAll(async () => {
  stop = await ensureService('requests', BASE);
});

afterAll(async () => {
  await stop();
  await db.destroy();
});

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${BASE}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const decide = (
  verb: 'approve' | 'reject',
  r: string,
  i: string,
  body?: unknown,
  h?: Record<string, string>,
) => call('POST', `/admin/requests/${r}/items/${i}/${verb}`, body, h);

/** A request as submit leaves it when the policy holds items back (in stttt, province bac-ninh). */
async function insertRequest(
  items: { operation: string; mailboxType: string; approvalsNeeded: number; reason?: string }[],
) {
  const stttt = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
  const id = randomUUID();
  const now = new Date();
  const itemIds = items.map(() => randomUUID());
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('requests')
      .values({
        id,
        client_id: stttt.clientId,
        client_agency_id: stttt.agencyId,
        agency_id: stttt.agencyId,
        province: 'bac-ninh',
        status: 'pending_approval',
        received_at: now,
        due_at: new Date(now.getTime() + 2 * 86_400_000),
        due_confirmed: true,
        reference: JSON.stringify({ number: `${id.slice(0, 4)}/TEST-VP`, date: '2026-11-20' }),
        requester: JSON.stringify({ fullName: 'Nguyễn Thị Bình' }),
        idempotency_key: id,
        body_hash: id,
        response: JSON.stringify({ dueAt: now.toISOString() }),
      })
      .execute();
    for (const [seq, item] of items.entries()) {
      await trx
        .insertInto('request_items')
        .values({
          id: itemIds[seq]!,
          request_id: id,
          seq,
          operation: item.operation,
          mailbox_type: item.mailboxType,
          agency_id: stttt.agencyId,
          status: 'pending_approval',
          person: JSON.stringify(null),
          address: `khongco-${randomUUID().slice(0, 8)}.stttt@bacninh.gov.vn`,
          changes: JSON.stringify(null),
          reason: item.reason ?? null,
          approvals_needed: item.approvalsNeeded,
        })
        .execute();
      await trx
        .insertInto('item_transitions')
        .values({
          item_id: itemIds[seq]!,
          from_status: null,
          to_status: 'pending_approval',
          actor: `client:${stttt.clientId}`,
          reason: null,
        })
        .execute();
    }
  });
  return { id, itemIds };
}

async function outboxEvents(requestId: string) {
  const { rows } = await sql<{ payload: { type: string; subject: string; data: Record<string, unknown> } }>`
    SELECT payload FROM outbox WHERE key = ${requestId} ORDER BY seq`.execute(db);
  return rows.map((r) => r.payload);
}

describe('operator approval API', () => {
  it('refuses callers without the admin token', async () => {
    const res = await fetch(`${BASE}/admin/approvals`);
    expect(res.status).toBe(401);
    const wrong = await fetch(`${BASE}/admin/approvals`, {
      headers: { authorization: 'Bearer nope-nope-nope' },
    });
    expect(wrong.status).toBe(401);
  });

  it('when an item needs two operators, then the queue shows it, the same operator twice is refused and the second operator approves it', async () => {
    const { id, itemIds } = await insertRequest([
      { operation: 'reset_password', mailboxType: 'agency', approvalsNeeded: 2, reason: 'Quên mật khẩu' },
    ]);
    const itemId = itemIds[0]!;
    const queue = await call('GET', `/admin/approvals?province=bac-ninh&requestId=${id}`);
    expect(queue.body.items).toContainEqual(
      expect.objectContaining({
        requestId: id,
        itemId,
        approvals: [],
        approvalsNeeded: 2,
        reason: 'Quên mật khẩu',
      }),
    );

    // The operator may come as a header.
    const first = await decide('approve', id, itemId, undefined, { 'x-operator': 'op.an' });
    expect(first).toMatchObject({ status: 200, body: { status: 'pending_approval', approvals: ['op.an'] } });
    const twice = await decide('approve', id, itemId, { operator: 'op.an' });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({
      code: 'conflict',
      message: {
        en: expect.stringContaining('different operator'),
        vi: expect.stringContaining('cán bộ khác'),
      },
    });
    expect((await outboxEvents(id)).map((e) => e.type)).toEqual([]);

    const second = await decide('approve', id, itemId, {
      operator: 'op.binh',
      reason: 'Đã xác minh qua điện thoại',
    });
    expect(second).toMatchObject({
      status: 200,
      body: { status: 'approved', approvals: ['op.an', 'op.binh'] },
    });

    // The approval and its event were written together; the password exists only as its hash in
    // the event and sealed in the one-time credential.
    const [approved] = await outboxEvents(id);
    expect(approved).toMatchObject({
      type: 'vn.gov.hopthu.request.item.approved.v1',
      subject: itemId,
      data: {
        requestId: id,
        itemId,
        operation: 'reset_password',
        mailboxType: 'agency',
        approvedBy: 'operator:op.an,operator:op.binh',
        passwordHash: expect.stringMatching(/^\{SSHA512\}/),
        reason: 'Quên mật khẩu',
      },
    });
    const credential = await db
      .selectFrom('credentials')
      .selectAll()
      .where('item_id', '=', itemId)
      .executeTakeFirst();
    // The directory may already have answered `failed` (it does not know the address), which erases
    // the password in the transaction that fails the item: read after the credential, a null
    // password must come with a failed item. (requests-api.component.test.ts shows the sealing
    // without the race.)
    const itemNow = await db
      .selectFrom('request_items')
      .select('status')
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    expect(credential).toBeDefined();
    expect(credential?.password_enc || itemNow.status === 'failed').toBeTruthy();

    const history = await call('GET', `/admin/requests/${id}`);
    expect(history.status).toBe(200);
    const item = (history.body.items as { transitions: Record<string, unknown>[] }[])[0]!;
    expect(item.transitions.slice(0, 3).map((t) => [t.from, t.to, t.actor, t.reason ?? null])).toEqual([
      [null, 'pending_approval', expect.stringMatching(/^client:/), null],
      ['pending_approval', 'pending_approval', 'operator:op.an', 'Phê duyệt 1/2'],
      ['pending_approval', 'approved', 'operator:op.binh', 'Đã xác minh qua điện thoại'],
    ]);
    expect((await decide('reject', id, itemId, { operator: 'op.chi', reason: 'muộn' })).status).toBe(409);
  });

  it('when an operator rejects the last waiting item, then the rejection and the finished request leave together with the reason', async () => {
    const { id, itemIds } = await insertRequest([
      { operation: 'suspend', mailboxType: 'agency', approvalsNeeded: 1 },
      { operation: 'delete', mailboxType: 'agency', approvalsNeeded: 2 },
    ]);
    const reason = 'Không có văn bản đề nghị của Thủ trưởng';
    const first = await decide('reject', id, itemIds[0]!, { operator: 'op.an', reason });
    expect(first).toMatchObject({ status: 200, body: { status: 'rejected', reason } });
    let events = await outboxEvents(id);
    expect(events.map((e) => e.type)).toEqual(['vn.gov.hopthu.request.item.rejected.v1']);
    expect(events[0]!.data).toEqual({
      requestId: id,
      itemId: itemIds[0],
      agencyId: expect.any(String),
      reason,
      rejectedBy: 'operator:op.an',
    });

    // One operator is enough to reject even an item that needs two approvals.
    await decide('reject', id, itemIds[1]!, { operator: 'op.an', reason: 'Đơn vị chưa giải thể' });
    events = await outboxEvents(id);
    expect(events.map((e) => e.type)).toEqual([
      'vn.gov.hopthu.request.item.rejected.v1',
      'vn.gov.hopthu.request.item.rejected.v1',
      'vn.gov.hopthu.request.finished.v1',
    ]);
    expect(events[2]!.data).toMatchObject({
      requestId: id,
      status: 'rejected',
      items: [
        { itemId: itemIds[0], status: 'rejected', reason, hasCredential: false },
        { itemId: itemIds[1], status: 'rejected', reason: 'Đơn vị chưa giải thể' },
      ],
    });
    const request = await db
      .selectFrom('requests')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(request.status).toBe('rejected');
    expect(request.finished_at).not.toBeNull();
  });

  it('refuses decisions without an operator, a rejection without a reason and unknown items, changing nothing', async () => {
    const { id, itemIds } = await insertRequest([
      { operation: 'suspend', mailboxType: 'agency', approvalsNeeded: 1 },
    ]);
    const noOperator = await decide('approve', id, itemIds[0]!, {});
    expect(noOperator).toMatchObject({ status: 400, body: { errors: [{ field: '/operator' }] } });
    const badOperator = await decide('approve', id, itemIds[0]!, { operator: 'op an; drop' });
    expect(badOperator.status).toBe(400);
    const noReason = await decide('reject', id, itemIds[0]!, { operator: 'op.an' });
    expect(noReason).toMatchObject({ status: 400, body: { errors: [{ field: '/reason' }] } });
    const blank = await decide('reject', id, itemIds[0]!, { operator: 'op.an', reason: '  ' });
    expect(blank.status).toBe(400);
    const unknown = await decide('approve', id, randomUUID(), { operator: 'op.an' });
    expect(unknown.status).toBe(404);
    const otherRequest = await decide('approve', randomUUID(), itemIds[0]!, { operator: 'op.an' });
    expect(otherRequest.status).toBe(404);
    expect((await call('GET', `/admin/requests/${randomUUID()}`)).status).toBe(404);

    const item = await db
      .selectFrom('request_items')
      .selectAll()
      .where('id', '=', itemIds[0]!)
      .executeTakeFirstOrThrow();
    expect(item).toMatchObject({ status: 'pending_approval', approvals: [] });
    expect(await outboxEvents(id)).toEqual([]);
  });

  it('when the approval fails half way, then nothing of it is kept: no approval, no transition, no event', async () => {
    const { id, itemIds } = await insertRequest([
      { operation: 'reset_password', mailboxType: 'agency', approvalsNeeded: 1 },
    ]);
    // A broken data key makes sealing the new password throw after the item was updated.
    await expect(
      approveItem(
        {
          db,
          clock: systemClock,
          dataKey: {
            current: { kid: 'broken', key: createSecretKey(Buffer.alloc(3)) },
            keys: new Map(),
            hashKey: createSecretKey(Buffer.alloc(32)),
          },
          credentialTtlHours: 1,
          publicUrl: BASE,
        },
        { requestId: id, itemId: itemIds[0]!, operator: 'op.an' },
      ),
    ).rejects.toThrow();
    const item = await db
      .selectFrom('request_items')
      .selectAll()
      .where('id', '=', itemIds[0]!)
      .executeTakeFirstOrThrow();
    expect(item).toMatchObject({ status: 'pending_approval', approvals: [] });
    const transitions = await db
      .selectFrom('item_transitions')
      .select('to_status')
      .where('item_id', '=', itemIds[0]!)
      .execute();
    expect(transitions).toHaveLength(1);
    expect(await outboxEvents(id)).toEqual([]);
    // And the same approval done properly goes through.
    expect((await decide('approve', id, itemIds[0]!, { operator: 'op.an' })).body).toMatchObject({
      status: 'approved',
    });
    // (the directory may already have answered for the unknown address: only the first event is ours)
    expect((await outboxEvents(id))[0]?.type).toBe('vn.gov.hopthu.request.item.approved.v1');
  });
});
