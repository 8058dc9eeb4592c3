// A bulk request (50 items or more) is answered once it is stored, and its items are written just
// after (issue 15; domain/requests/expand-request.ts). In process on a database of this file's own
// (in-process.ts): the answer is the one the synchronous path gives, a read right after shows every
// item, the personal data waiting to be written is sealed and then gone, a request left pending is
// written by the sweep of a (re)started instance, writers racing write one set, replays answer the same.
import { randomUUID } from 'node:crypto';
import { createManualClock } from '@hopthu/shared/clock';
import { parseKeyRing } from '@hopthu/shared/config';
import { buildEvent, Topics } from '@hopthu/shared/events';
import { createLogger } from '@hopthu/shared/logger';
import { createConsumerHarness } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { resultsHandler } from '../src/consumers/requests-consumers.ts';
import { insertPendingExpansion, insertRequest } from '../src/db/request-repository.ts';
import {
  expandRequest,
  openPendingItems,
  type PendingItems,
  sealPendingItems,
} from '../src/domain/requests/expand-request.ts';
import { submitRequest } from '../src/domain/requests/submit-request.ts';
import { dataKeys, decrypt, keyedHash } from '../src/domain/secrets.ts';
import { reencryptAll } from '../src/tools/reencrypt-data.ts';
import {
  agencyAccessToken,
  createResult,
  type InProcessRequests,
  replicaAgency,
  startRequestsInProcess,
} from './in-process.ts';

const clock = createManualClock(new Date('2030-11-22T03:00:00.000Z'));
const logger = createLogger('requests-component', { level: process.env.TEST_LOG_LEVEL ?? 'warn' });
let service: InProcessRequests;

beforeAll(async () => {
  service = await startRequestsInProcess({ clock, logger });
});
afterAll(async () => {
  await service?.close();
});

const db = () => service.scratch.db;
const freshCccd = () => `027090${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

/** A Bắc Ninh agency in the replica with its agency mailbox (a delete of it waits for two operators). */
async function buildAgency() {
  const agencyId = `bulk-${randomUUID()}`;
  const agencyMailbox = `vp-${agencyId.slice(5, 13)}@bulk.bacninh.gov.vn`;
  await replicaAgency(service, {
    agencyId,
    domain: 'bulk.bacninh.gov.vn',
    name: 'Sở Thử tải',
    abbreviation: 'stt',
    officialMailbox: agencyMailbox,
  });
  const mailboxId = randomUUID();
  await service.directory.deliver(
    Topics.directory,
    buildEvent(
      'vn.gov.hopthu.directory.mailbox.v1',
      {
        mailboxId,
        address: agencyMailbox,
        domain: 'bulk.bacninh.gov.vn',
        type: 'agency',
        state: 'active',
        agencyId,
        displayName: 'Văn phòng Sở Thử tải',
        aliases: [],
        quotaBytes: 1_073_741_824,
        generation: 1,
      },
      { source: 'hopthu/directory', time: clock.now(), subject: mailboxId },
    ),
  );
  return { agencyId, agencyMailbox, token: await agencyAccessToken(service, agencyId) };
}

/** `n` personal creates (national IDs when `ids` is given), and the agency mailbox's delete when `deleteOf`. */
function bulkBody(agencyId: string, n: number, opts: { ids?: string[]; deleteOf?: string } = {}) {
  const tag = randomUUID().slice(0, 6);
  return {
    agencyId,
    requester: { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng' },
    reference: { number: `${Math.floor(Math.random() * 1e6)}/BULK`, date: '2030-11-20' },
    items: [
      ...Array.from({ length: n }, (_, k) => ({
        operation: 'create' as const,
        mailboxType: 'personal' as const,
        person: {
          familyName: 'Phạm',
          middleName: 'Văn',
          givenName: `Bình${tag}${k.toString(36)}`,
          position: 'Chuyên viên',
          ...(opts.ids?.[k] ? { nationalId: opts.ids[k] } : {}),
        },
      })),
      ...(opts.deleteOf
        ? [
            {
              operation: 'delete' as const,
              mailboxType: 'agency' as const,
              address: opts.deleteOf,
              reason: 'Sáp nhập',
            },
          ]
        : []),
    ],
  };
}

/** The person of a create item of the body. */
const personOf = (body: ReturnType<typeof bulkBody>, k: number) =>
  (body.items[k] as { person: { givenName: string; nationalId?: string } }).person;

function post(token: string, body: unknown, key = randomUUID()) {
  return service.app.inject({
    method: 'POST',
    url: '/v1/requests',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
    payload: body as Record<string, unknown>,
  });
}

const get = (token: string, url: string, method: 'GET' | 'POST' = 'GET') =>
  service.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });

/** The answer without its ids (each submission draws new ones): what must be the same. */
function withoutIds(answer: { id: string; items: { id: string }[] }) {
  return { ...answer, id: '-', items: answer.items.map((i) => ({ ...i, id: '-' })) };
}

async function countsOf(requestId: string) {
  const { rows } = await sql<{
    items: number;
    transitions: number;
    credentials: number;
    approved: number;
    pending: number;
  }>`
    SELECT (SELECT count(*)::int FROM request_items WHERE request_id = ${requestId}) AS items,
           (SELECT count(*)::int FROM item_transitions t JOIN request_items i ON i.id = t.item_id
             WHERE i.request_id = ${requestId}) AS transitions,
           (SELECT count(*)::int FROM credentials c JOIN request_items i ON i.id = c.item_id
             WHERE i.request_id = ${requestId}) AS credentials,
           (SELECT count(*)::int FROM outbox WHERE key = ${requestId}
             AND payload->>'type' = 'vn.gov.hopthu.request.item.approved.v1') AS approved,
           (SELECT count(*)::int FROM request_expansions WHERE request_id = ${requestId}) AS pending`.execute(
    db(),
  );
  return rows[0]!;
}

/** Stored and answered without its items, and no writer woken: as a crash right after the answer leaves it. */
async function storedWithoutItems(agencyId: string, body: ReturnType<typeof bulkBody>) {
  return (await submitRequest(service.submitDeps, {
    principal: { clientId: `client-${randomUUID()}`, agencyId },
    idempotencyKey: randomUUID(),
    body,
    itemsLater: true,
  })) as { id: string; status: string; items: { id: string; operation: string; status: string }[] };
}

describe('a bulk request answered once stored, its items written after (issue 15)', () => {
  it('when a 60-item request is posted, then its 202 is the one the synchronous path gives, and a read right after shows every item', async () => {
    const { agencyId, agencyMailbox, token } = await buildAgency();
    const body = bulkBody(agencyId, 60, { deleteOf: agencyMailbox });

    const res = await post(token, body);
    expect(res.statusCode, res.body).toBe(202);
    const answer = res.json();
    expect(res.headers.location).toBe(`/v1/requests/${answer.id}`);
    const read = await get(token, `/v1/requests/${answer.id}`);

    // the same body through the synchronous path (items written in the storing transaction)
    const sync = (await submitRequest(service.submitDeps, {
      principal: { clientId: `client-${randomUUID()}`, agencyId },
      idempotencyKey: randomUUID(),
      body: { ...body, reference: { ...body.reference } },
    })) as typeof answer;
    expect(Object.keys(answer).sort()).toEqual(Object.keys(sync).sort());
    expect(withoutIds(answer)).toEqual(withoutIds(sync));
    expect(answer.items.at(-1).status).toBe('pending_approval');
    expect(answer.items[0].status).toBe('approved');
    expect(new Set(answer.items.map((i: { id: string }) => i.id)).size).toBe(61);

    expect(read.statusCode, read.body).toBe(200);
    const view = read.json();
    expect(view.status).toBe(answer.status);
    expect(view.items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual(
      answer.items.map((i: { id: string; status: string }) => [i.id, i.status]),
    );
    expect(view.items[0].history).toHaveLength(1);
    expect(view.items[0].person.givenName).toBe(personOf(body, 0).givenName);
    expect(await countsOf(answer.id)).toEqual({
      items: 61,
      transitions: 61,
      credentials: 60,
      approved: 60,
      pending: 0,
    });
  });

  it('when a bulk request is posted again with its Idempotency-Key, then the same 202 comes and nothing more is stored; another body is refused', async () => {
    const { agencyId, token } = await buildAgency();
    const body = bulkBody(agencyId, 50);
    const key = randomUUID();
    const first = await post(token, body, key);
    expect(first.statusCode, first.body).toBe(202);
    const again = await post(token, body, key);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(first.json());
    const conflict = await post(token, bulkBody(agencyId, 50), key);
    expect(conflict.statusCode).toBe(422);
    expect(conflict.json().code).toBe('idempotency_conflict');
    await get(token, `/v1/requests/${first.json().id}`);
    expect(await countsOf(first.json().id)).toMatchObject({ items: 50, approved: 50, pending: 0 });
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM requests WHERE agency_id = ${agencyId}`.execute(db());
    expect(rows[0]!.n).toBe(1);
  });

  it('when a bulk request is refused (an item invalid), then the refusal comes at once and nothing is stored', async () => {
    const { agencyId, token } = await buildAgency();
    const body = bulkBody(agencyId, 55);
    personOf(body, 54).nationalId = '003090001234'; // no such province code
    const res = await post(token, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('/items/54/person/nationalId');
    const { rows } = await sql<{ n: number }>`
      SELECT (SELECT count(*) FROM requests WHERE agency_id = ${agencyId})
           + (SELECT count(*) FROM request_expansions)::int AS n`.execute(db());
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('when a bulk request waits for its items, then its people’s data is sealed, and gone once they are written', async () => {
    const { agencyId, token } = await buildAgency();
    const ids = [freshCccd(), freshCccd(), freshCccd()];
    const body = bulkBody(agencyId, 3, { ids });
    const answer = await storedWithoutItems(agencyId, body);

    const { rows } = await sql<{ payload_enc: string; person_hashes: string[] }>`
      SELECT payload_enc, person_hashes FROM request_expansions WHERE request_id = ${answer.id}`.execute(
      db(),
    );
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows[0]);
    for (const id of ids) expect(stored).not.toContain(id);
    expect(stored).not.toContain(personOf(body, 0).givenName);
    // sealed with the service's data key: it opens to the items, and looks people up by keyed hash only
    expect(decrypt(service.submitDeps.dataKey, rows[0]!.payload_enc)).toContain(ids[0]);
    expect(rows[0]!.person_hashes.sort()).toEqual(
      ids.map((id) => keyedHash(service.submitDeps.dataKey, id)).sort(),
    );

    // a read writes the items first: all three, the national IDs masked
    const read = await get(token, `/v1/requests/${answer.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().items.map((i: { id: string }) => i.id)).toEqual(answer.items.map((i) => i.id));
    expect(read.json().items[0].person.nationalId).not.toBe(ids[0]);
    expect(await countsOf(answer.id)).toMatchObject({ items: 3, pending: 0 });
  });

  it('when the data key is rotated while a bulk request waits for its items, then its sealed copy moves to the new key and still opens', async () => {
    const ring = parseKeyRing(service.config.DATA_KEYS);
    const rotated = dataKeys(
      [{ kid: `rotated-${randomUUID().slice(0, 8)}`, material: 'ab'.repeat(32) }, ...ring],
      service.config.NATIONAL_ID_HASH_KEY,
    );
    const nationalId = freshCccd();
    const requestId = randomUUID();
    const pending: PendingItems = {
      requestId,
      clientId: 'client-rotation',
      agencyId: 'rotation',
      province: 'bac-ninh',
      receivedAt: clock.now().toISOString(),
      items: [
        {
          id: randomUUID(),
          status: 'approved',
          mailboxType: 'personal',
          approvalsNeeded: 0,
          item: {} as never,
        },
      ],
    };
    const body = JSON.stringify({ items: [{ operation: 'create', person: { nationalId } }] });
    // in a transaction never committed: neither the writer nor the sweep sees the copy
    const rollback = new Error('rolled back');
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await insertRequest(trx, {
            id: requestId,
            clientId: 'client-rotation',
            clientAgencyId: 'rotation',
            agencyId: 'rotation',
            province: 'bac-ninh',
            status: 'approved',
            receivedAt: clock.now(),
            dueAt: clock.now(),
            dueConfirmed: true,
            reference: { number: '1/ROT', date: '2030-11-20' },
            requester: { fullName: 'Nguyễn Thị Bình' },
            idempotencyKey: randomUUID(),
            bodyHash: '-',
            response: {},
          });
          await insertPendingExpansion(trx, {
            requestId,
            payloadEnc: sealPendingItems(service.submitDeps.dataKey, pending, body),
            personHashes: [],
          });
          const counts = await reencryptAll(trx, rotated);
          expect(counts.pending).toBe(1);
          expect(counts.unreadable).toEqual([]);
          const row = await trx
            .selectFrom('request_expansions')
            .select('payload_enc')
            .where('request_id', '=', requestId)
            .executeTakeFirstOrThrow();
          expect(row.payload_enc.startsWith(`${rotated.current.kid}.`)).toBe(true);
          expect(openPendingItems(rotated, row.payload_enc).items[0]!.item.person?.nationalId).toBe(
            nationalId,
          );
          throw rollback;
        }),
    ).rejects.toBe(rollback);
  });

  it('when a person of a bulk request not yet written is filed again, then the second create is refused as today', async () => {
    const { agencyId, token } = await buildAgency();
    const id = freshCccd();
    await storedWithoutItems(agencyId, bulkBody(agencyId, 2, { ids: [id] }));
    const res = await post(token, bulkBody(agencyId, 1, { ids: [id] }));
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().errors[0].field).toBe('/items/0/person/nationalId');
  });

  it('when a bulk request’s items are written and completed, then its credentials open', async () => {
    const { agencyId, token } = await buildAgency();
    const res = await post(token, bulkBody(agencyId, 50));
    expect(res.statusCode).toBe(202);
    const answer = res.json() as { id: string; items: { id: string }[] };
    // the provisioner's results need the items: a read has them written
    await get(token, `/v1/requests/${answer.id}`);
    const results = createConsumerHarness({
      db: db(),
      consumer: 'requests-results',
      logger,
      handle: resultsHandler({ clock, publicUrl: service.config.PUBLIC_URL }),
    });
    for (const [k, item] of answer.items.entries())
      await results.deliver(
        Topics.provisioningResults,
        createResult({
          requestId: answer.id,
          itemId: item.id,
          address: `u${k}-${agencyId.slice(5, 9)}@bulk.bacninh.gov.vn`,
          outcome: 'applied',
        }),
      );
    const opened = await get(token, `/v1/requests/${answer.id}/credentials`, 'POST');
    expect(opened.statusCode, opened.body).toBe(200);
    const { credentials } = opened.json() as { credentials: { itemId: string; password: string }[] };
    expect(credentials.map((c) => c.itemId).sort()).toEqual(answer.items.map((i) => i.id).sort());
    expect(credentials[0]!.password).toMatch(/^.{14}$/);
  });

  it('when a request is left without its items (a crash after its answer), then a started instance’s sweep writes them, with no reader', async () => {
    const { agencyId } = await buildAgency();
    const answer = await storedWithoutItems(agencyId, bulkBody(agencyId, 4));
    expect(await countsOf(answer.id)).toMatchObject({ items: 0, pending: 1 });
    // "restarted": a second instance of the service on the same database
    const restarted = buildApp({
      config: service.config,
      db: db(),
      logger,
      readiness: async () => {},
      approvalPolicies: service.approvalPolicies,
      clock,
      verifyMailboxPassword: async () => false,
    });
    await restarted.ready();
    try {
      const until = Date.now() + 8000;
      while ((await countsOf(answer.id)).pending === 1 && Date.now() < until)
        await new Promise((r) => setTimeout(r, 100));
      expect(await countsOf(answer.id)).toEqual({
        items: 4,
        transitions: 4,
        credentials: 4,
        approved: 4,
        pending: 0,
      });
    } finally {
      await restarted.close();
    }
  });

  it('when an operator opens or decides on an item of a bulk request not yet written, then the items are written first', async () => {
    const { agencyId, agencyMailbox } = await buildAgency();
    const answer = await storedWithoutItems(agencyId, bulkBody(agencyId, 3, { deleteOf: agencyMailbox }));
    const admin = { authorization: `Bearer ${service.config.ADMIN_TOKEN}`, 'x-operator': 'op.an' };
    const approve = await service.app.inject({
      method: 'POST',
      url: `/admin/requests/${answer.id}/items/${answer.items[3]!.id}/approve`,
      headers: admin,
      payload: {},
    });
    expect(approve.statusCode, approve.body).toBe(200);
    const view = await service.app.inject({
      method: 'GET',
      url: `/admin/requests/${answer.id}`,
      headers: admin,
    });
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().items.map((i: { id: string }) => i.id)).toEqual(answer.items.map((i) => i.id));
    expect(await countsOf(answer.id)).toMatchObject({ items: 4, pending: 0 });
  });

  it('when writers race for one request, then one set of items, credentials and events is written', async () => {
    const { agencyId } = await buildAgency();
    const answer = await storedWithoutItems(agencyId, bulkBody(agencyId, 20));
    const deps = service.submitDeps;
    const wrote = await Promise.all([
      expandRequest(deps, answer.id, { wait: false }),
      expandRequest(deps, answer.id, { wait: true }),
      expandRequest(deps, answer.id, { wait: false }),
      expandRequest(deps, answer.id, { wait: true }),
    ]);
    expect(wrote.filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(await countsOf(answer.id)).toEqual({
      items: 20,
      transitions: 20,
      credentials: 20,
      approved: 20,
      pending: 0,
    });
  });
});
