// The requests service in process (in-process.ts: buildApp(deps) on a database of this file's own,
// cloned from the migrated template) with a manual clock, called with Fastify's inject (no port, no
// running service, no Kafka). The directory's states and the provisioner's results reach it through its
// consumers' own handlers (createConsumerHarness: the inbox transaction without Kafka). What is
// checked is what an agency and an operator see through the API, and the rows and events it leaves.
import { randomUUID } from 'node:crypto';
import { createManualClock } from '@hopthu/shared/clock';
import { parseKeyRing } from '@hopthu/shared/config';
import { createLogger } from '@hopthu/shared/logger';
import { type AnyEnvelope, buildEvent, Topics } from '@hopthu/shared/events';
import { type ConsumerHarness, createConsumerHarness, type ScratchDatabase } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsConsumerHandlers, resultsHandler } from '../src/consumers/requests-consumers.ts';
import type { Database } from '../src/db/schema.ts';
import { waitForRequestEnd } from '../src/domain/requests/wait-for-request.ts';
import { dataKeys, decrypt } from '../src/domain/secrets.ts';
import {
  agencyAccessToken,
  createResult,
  type InProcessRequests,
  replicaAgency,
  startRequestsInProcess,
} from './in-process.ts';

const HOUR = 3600_000;
// Friday 22 November 2030, 10:00 in Vietnam
const FRIDAY_10H = new Date('2030-11-22T03:00:00.000Z');

const clock = createManualClock(FRIDAY_10H);
const logger = createLogger('requests-component', { level: process.env.TEST_LOG_LEVEL ?? 'warn' });
let service: InProcessRequests;
let scratch: ScratchDatabase<Database>;
let app: InProcessRequests['app'];
let config: InProcessRequests['config'];
const admin = () => ({ authorization: `Bearer ${config.ADMIN_TOKEN}` });
let directory: ConsumerHarness;
let results: ConsumerHarness;

beforeAll(async () => {
  service = await startRequestsInProcess({ clock, logger });
  ({ scratch, app, config, directory } = service);
  results = createConsumerHarness({
    db: scratch.db,
    consumer: 'requests-results',
    logger,
    handle: resultsHandler({ clock, publicUrl: config.PUBLIC_URL }),
  });
});
afterAll(async () => {
  await service?.close();
});

/** A Bắc Ninh agency with its agency mailbox, as hopthu.directory.v1 brings them to the replica. */
async function buildAgency() {
  const agencyId = `component-${randomUUID()}`;
  const agencyMailbox = `vp-${agencyId.slice(10, 18)}@component.bacninh.gov.vn`;
  const source = { source: 'hopthu/directory', time: clock.now() };
  await replicaAgency(service, {
    agencyId,
    domain: 'component.bacninh.gov.vn',
    name: 'Sở Thử nghiệm',
    abbreviation: 'stn',
    officialMailbox: agencyMailbox,
  });
  const mailboxId = randomUUID();
  await directory.deliver(
    Topics.directory,
    buildEvent(
      'vn.gov.hopthu.directory.mailbox.v1',
      {
        mailboxId,
        address: agencyMailbox,
        domain: 'component.bacninh.gov.vn',
        type: 'agency',
        state: 'active',
        agencyId,
        displayName: 'Văn phòng Sở Thử nghiệm',
        aliases: [],
        quotaBytes: 1_073_741_824,
        generation: 1,
      },
      { ...source, subject: mailboxId },
    ),
  );
  return { agencyId, agencyMailbox };
}

/** Registers an API client of the agency (admin API) and trades an assertion signed now, by the clock, for a token. */
const accessTokenFor = (agencyId: string) => agencyAccessToken(service, agencyId);

function buildRequest(agencyId: string, items: unknown[]) {
  return {
    agencyId,
    requester: { fullName: 'Nguyễn Thị Thử', position: 'Văn thư', phone: '0222 000 000' },
    reference: { number: `${Math.floor(Math.random() * 1e6)}/STN-VP`, date: '2030-11-20' },
    items,
  };
}

const buildPerson = () => ({
  familyName: 'Thử',
  middleName: 'Văn',
  givenName: `Component${randomUUID().slice(0, 4)}`,
  position: 'Chuyên viên',
  department: 'Phòng Thử nghiệm',
});

function submit(token: string, body: unknown) {
  return app.inject({
    method: 'POST',
    url: '/v1/requests',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
    payload: body as Record<string, unknown>,
  });
}

/** Resolves once a bulk request's items are written (its pending copy gone), within 5 s. */
async function itemsWritten(requestId: string) {
  const until = Date.now() + 5000;
  for (;;) {
    const pending = await scratch.db
      .selectFrom('request_expansions')
      .select('request_id')
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    if (!pending) return;
    if (Date.now() > until) throw new Error(`items of ${requestId} not written within 5 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The events the request's transactions wrote to the outbox, in order (what the relay will publish). */
async function outboxEvents(requestId: string) {
  const { rows } = await sql<{ payload: { type: string; data: Record<string, unknown> } }>`
    SELECT payload FROM outbox WHERE key = ${requestId} ORDER BY seq`.execute(scratch.db);
  return rows.map((r) => r.payload);
}

describe('submission (in process, manual clock)', () => {
  it('when a request is received on a Friday morning, then it is due at the end of the second working day after, Tuesday', async () => {
    clock.set(FRIDAY_10H);
    const { agencyId } = await buildAgency();
    const token = await accessTokenFor(agencyId);

    const res = await submit(
      token,
      buildRequest(agencyId, [{ operation: 'create', mailboxType: 'personal', person: buildPerson() }]),
    );

    expect(res.statusCode, res.body).toBe(202);
    const answer = res.json();
    // the day of receipt does not count: Monday 25 and Tuesday 26, to 24:00 (Bắc Ninh: 2 working days)
    expect(new Date(answer.dueAt).toISOString()).toBe('2030-11-26T17:00:00.000Z');
    expect(answer.items[0].status).toBe('approved');
    const submitted = (await outboxEvents(answer.id)).find(
      (e) => e.type === 'vn.gov.hopthu.request.submitted.v1',
    );
    expect(submitted?.data).toMatchObject({
      receivedAt: FRIDAY_10H.toISOString(),
      dueAt: '2030-11-26T17:00:00.000Z',
    });
  });

  it('when the same request is received on the Monday after, then it is due a working day later, Wednesday, and its history is stamped by the clock', async () => {
    const monday = new Date(FRIDAY_10H.getTime() + 3 * 24 * HOUR);
    clock.set(monday);
    const { agencyId } = await buildAgency();
    const token = await accessTokenFor(agencyId);

    const res = await submit(
      token,
      buildRequest(agencyId, [{ operation: 'create', mailboxType: 'personal', person: buildPerson() }]),
    );

    expect(res.statusCode, res.body).toBe(202);
    expect(new Date(res.json().dueAt).toISOString()).toBe('2030-11-27T17:00:00.000Z');
    const read = await app.inject({
      method: 'GET',
      url: `/v1/requests/${res.json().id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().items[0].history).toEqual([
      expect.objectContaining({ to: 'approved', at: monday.toISOString() }),
    ]);
  });

  it('when the access token has outlived its lifetime on the clock, then the API refuses it', async () => {
    clock.set(FRIDAY_10H);
    const { agencyId } = await buildAgency();
    const token = await accessTokenFor(agencyId);
    const list = () =>
      app.inject({ method: 'GET', url: '/v1/requests', headers: { authorization: `Bearer ${token}` } });
    expect((await list()).statusCode).toBe(200);

    clock.advance((config.ACCESS_TOKEN_SECONDS + 1) * 1000);

    const late = await list();
    expect(late.statusCode).toBe(401);
    expect(late.headers['content-type']).toContain('application/problem+json');
  });
});

describe('approval by two operators (in process, manual clock)', () => {
  it('when an agency mailbox is to be deleted, then it waits for two different operators and only the second approval sends it on', async () => {
    clock.set(FRIDAY_10H);
    const { agencyId, agencyMailbox } = await buildAgency();
    const token = await accessTokenFor(agencyId);
    const res = await submit(
      token,
      buildRequest(agencyId, [
        { operation: 'delete', mailboxType: 'agency', address: agencyMailbox, reason: 'Sáp nhập đơn vị' },
      ]),
    );
    expect(res.statusCode, res.body).toBe(202);
    const requestId = res.json().id as string;
    const itemId = res.json().items[0].id as string;
    expect(res.json().items[0].status).toBe('pending_approval');
    const approve = (operator: string) =>
      app.inject({
        method: 'POST',
        url: `/admin/requests/${requestId}/items/${itemId}/approve`,
        headers: { ...admin(), 'x-operator': operator },
        payload: {},
      });

    clock.advance(HOUR);
    const first = await approve('op.an');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      status: 'pending_approval',
      approvals: ['op.an'],
      approvalsNeeded: 2,
    });
    expect((await outboxEvents(requestId)).map((e) => e.type)).not.toContain(
      'vn.gov.hopthu.request.item.approved.v1',
    );

    const again = await approve('op.an');
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');

    clock.advance(HOUR);
    const second = await approve('op.binh');
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ status: 'approved', approvals: ['op.an', 'op.binh'] });
    const approved = (await outboxEvents(requestId)).filter(
      (e) => e.type === 'vn.gov.hopthu.request.item.approved.v1',
    );
    expect(approved).toHaveLength(1);
    expect(approved[0]?.data).toMatchObject({ itemId, approvedBy: 'operator:op.an,operator:op.binh' });

    const history = await app.inject({
      method: 'GET',
      url: `/admin/requests/${requestId}`,
      headers: admin(),
    });
    expect(history.statusCode).toBe(200);
    expect(
      history
        .json()
        .items[0].transitions.map((t: { to: string; actor: string; at: string }) => [t.to, t.actor, t.at]),
    ).toEqual([
      ['pending_approval', expect.stringMatching(/^client:/), FRIDAY_10H.toISOString()],
      ['pending_approval', 'operator:op.an', new Date(FRIDAY_10H.getTime() + HOUR).toISOString()],
      ['approved', 'operator:op.binh', new Date(FRIDAY_10H.getTime() + 2 * HOUR).toISOString()],
    ]);
  });
});

describe('approval of a password reset (in process, manual clock)', () => {
  it("when an operator approves an agency mailbox's password reset, then the new password is sealed in a credential that expires CREDENTIAL_TTL_HOURS after the approval", async () => {
    clock.set(FRIDAY_10H);
    const { agencyId, agencyMailbox } = await buildAgency();
    const res = await submit(
      await accessTokenFor(agencyId),
      buildRequest(agencyId, [
        {
          operation: 'reset_password',
          mailboxType: 'agency',
          address: agencyMailbox,
          reason: 'Quên mật khẩu',
        },
      ]),
    );
    expect(res.statusCode, res.body).toBe(202);
    const requestId = res.json().id as string;
    const itemId = res.json().items[0].id as string;
    expect(res.json().items[0].status).toBe('pending_approval');

    clock.advance(5 * HOUR);
    const approved = await app.inject({
      method: 'POST',
      url: `/admin/requests/${requestId}/items/${itemId}/approve`,
      headers: { ...admin(), 'x-operator': 'op.an' },
      payload: {},
    });

    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved' });
    const event = (await outboxEvents(requestId)).find(
      (e) => e.type === 'vn.gov.hopthu.request.item.approved.v1',
    );
    expect(event?.data).toMatchObject({ itemId, passwordHash: expect.stringMatching(/^\{SSHA512\}/) });
    const credential = await scratch.db
      .selectFrom('credentials')
      .selectAll()
      .where('item_id', '=', itemId)
      .executeTakeFirstOrThrow();
    expect(credential.password_enc).toBeTruthy();
    expect(new Date(credential.expires_at).toISOString()).toBe(
      new Date(FRIDAY_10H.getTime() + (5 + config.CREDENTIAL_TTL_HOURS) * HOUR).toISOString(),
    );
  });
});

describe('one-time credential (in process, manual clock)', () => {
  async function completedMailbox(token: string, agencyId: string, onAccepted?: (requestId: string) => void) {
    const res = await submit(
      token,
      buildRequest(agencyId, [{ operation: 'create', mailboxType: 'personal', person: buildPerson() }]),
    );
    expect(res.statusCode, res.body).toBe(202);
    const requestId = res.json().id as string;
    const itemId = res.json().items[0].id as string;
    const address = `component.${itemId.slice(0, 8)}@component.bacninh.gov.vn`;
    onAccepted?.(requestId);
    // the provisioner's answer, through the results consumer's handler
    const result = createResult({ requestId, itemId, address, outcome: 'applied' }, clock.now());
    expect(await results.deliver(Topics.provisioningResults, result)).toBe('handled');
    const open = (bearer = token) =>
      app.inject({
        method: 'GET',
        url: `/v1/requests/${requestId}/items/${itemId}/credential`,
        headers: { authorization: `Bearer ${bearer}` },
      });
    return { requestId, address, open, result };
  }

  it('when the link is opened within its lifetime, then it gives the password once and the request is finished at the clock time', async () => {
    clock.set(FRIDAY_10H);
    const { agencyId } = await buildAgency();
    const token = await accessTokenFor(agencyId);
    const { requestId, address, open } = await completedMailbox(token, agencyId);

    const first = await open();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ address, password: expect.any(String) });
    expect((await open()).statusCode).toBe(410);
    const finished = (await outboxEvents(requestId)).find(
      (e) => e.type === 'vn.gov.hopthu.request.finished.v1',
    );
    expect(finished?.data).toMatchObject({ status: 'completed', finishedAt: FRIDAY_10H.toISOString() });
    // written when the result ended it, before the link was opened: the notifier says a credential waits
    expect((finished!.data as { items: { hasCredential: boolean }[] }).items).toEqual([
      expect.objectContaining({ address, status: 'completed', hasCredential: true }),
    ]);
  });

  it('when an agency long-polls its request, then the wait ends on the commit that finished it, not at a periodic read', async () => {
    clock.set(FRIDAY_10H);
    const { agencyId } = await buildAgency();
    const token = await accessTokenFor(agencyId);
    const principal = { agencyId } as Parameters<typeof waitForRequestEnd>[1]['principal'];
    let waiting: Promise<void> | undefined;
    let ended = false;
    await completedMailbox(token, agencyId, (requestId) => {
      // no periodic read within the test's time: only the finishing commit can end this wait
      waiting = waitForRequestEnd(
        { db: scratch.db, intervalMs: 3_600_000 },
        { principal, requestId, waitSeconds: 30 },
      ).then(() => {
        ended = true;
      });
    });
    // without the wake-up the wait would run to its 30 s deadline
    await Promise.race([waiting, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    expect(ended).toBe(true);
  });

  it("when the provisioner's result is delivered again, then it is skipped: the item ends once and the request finishes once", async () => {
    clock.set(FRIDAY_10H);
    const { agencyId } = await buildAgency();
    const { requestId, result } = await completedMailbox(await accessTokenFor(agencyId), agencyId);

    clock.advance(HOUR);
    expect(await results.deliver(Topics.provisioningResults, result)).toBe('duplicate');

    const finished = (await outboxEvents(requestId)).filter(
      (e) => e.type === 'vn.gov.hopthu.request.finished.v1',
    );
    expect(finished).toHaveLength(1);
    expect(finished[0]?.data).toMatchObject({ finishedAt: FRIDAY_10H.toISOString() });
    const { rows } = await sql<{ to_status: string }>`
      SELECT t.to_status FROM item_transitions t JOIN request_items i ON i.id = t.item_id
      WHERE i.request_id = ${requestId} ORDER BY t.id`.execute(scratch.db);
    expect(rows.map((r) => r.to_status)).toEqual(['approved', 'completed']);
  });

  it('when the link is opened after CREDENTIAL_TTL_HOURS on the clock, then it is gone (410) and no password is given', async () => {
    clock.set(FRIDAY_10H);
    const { agencyId } = await buildAgency();
    const { open } = await completedMailbox(await accessTokenFor(agencyId), agencyId);

    clock.advance(config.CREDENTIAL_TTL_HOURS * HOUR + 1000);
    // with a fresh token: the first one expired with the clock too
    const late = await open(await accessTokenFor(agencyId));

    expect(late.statusCode).toBe(410);
    expect(late.json()).not.toHaveProperty('password');
  });
});

describe("results in a batch (the inbox's handleMany, in process)", () => {
  const handlers = () => resultsConsumerHandlers({ clock, publicUrl: config.PUBLIC_URL });

  /** The batch in one transaction with its inbox rows, as the inbox consumer runs handleMany. */
  async function deliverBatch(events: AnyEnvelope[]) {
    const { handleMany } = handlers();
    if (!handleMany) throw new Error('the results consumer has no handleMany');
    await scratch.db.transaction().execute(async (trx) => {
      await sql`
        INSERT INTO inbox (consumer, event_id, topic, event_type)
        SELECT 'requests-results', id, ${Topics.provisioningResults}, 'vn.gov.hopthu.provisioning.result.v1'
        FROM unnest(${events.map((e) => e.id)}::text[]) AS id`.execute(trx);
      await handleMany(
        events.map((event, n) => ({
          event,
          ctx: {
            logger,
            attempt: 1,
            message: {
              topic: Topics.provisioningResults,
              partition: 0,
              offset: String(n),
              key: null,
              value: null,
              headers: {},
            },
          },
        })),
        trx,
      );
    });
  }

  async function submitted(token: string, agencyId: string, count: number) {
    const persons = Array.from({ length: count }, () => ({
      operation: 'create',
      mailboxType: 'personal',
      person: buildPerson(),
    }));
    const res = await submit(token, buildRequest(agencyId, persons));
    expect(res.statusCode, res.body).toBe(202);
    return {
      requestId: res.json().id as string,
      itemIds: (res.json().items as { id: string }[]).map((i) => i.id),
    };
  }

  const resultFor = (requestId: string, itemId: string, outcome: 'applied' | 'failed') =>
    createResult(
      {
        requestId,
        itemId,
        address: `batch.${itemId.slice(0, 8)}@component.bacninh.gov.vn`,
        ...(outcome === 'failed'
          ? { outcome, error: 'hộp thư bị từ chối / refused by the mail server' }
          : { outcome }),
      },
      clock.now(),
    );

  /** What a request's results left: each item's status and history, its credentials, its finished events. */
  async function outcome(requestId: string) {
    const items = await scratch.db
      .selectFrom('request_items')
      .leftJoin('credentials', 'credentials.item_id', 'request_items.id')
      .select(['request_items.id', 'seq', 'status', 'result_address', 'reason', 'password_enc'])
      .where('request_id', '=', requestId)
      .orderBy('seq')
      .execute();
    const { rows: history } = await sql<{ seq: number; to_status: string; actor: string }>`
      SELECT i.seq, t.to_status, t.actor FROM item_transitions t JOIN request_items i ON i.id = t.item_id
      WHERE i.request_id = ${requestId} ORDER BY i.seq, t.id`.execute(scratch.db);
    const finished = (await outboxEvents(requestId)).filter(
      (e) => e.type === 'vn.gov.hopthu.request.finished.v1',
    );
    const request = await scratch.db
      .selectFrom('requests')
      .select(['status', 'finished_at'])
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    return {
      request,
      items: items.map((i) => ({
        seq: i.seq,
        status: i.status,
        sameAddress: i.result_address === `batch.${i.id.slice(0, 8)}@component.bacninh.gov.vn`,
        reason: i.reason,
        passwordKept: i.password_enc !== null,
      })),
      history: history.map((h) => `${h.seq}:${h.to_status}:${h.actor}`),
      // what differs between two requests (ids, reference, link) left out
      finished: finished.map(
        ({ data: { requestId: _id, reference: _ref, requestUrl: _url, items: ended, ...rest } }) => ({
          ...rest,
          items: (ended as { itemId?: string; address?: string }[]).map(
            ({ itemId: _item, address, ...item }) => ({
              ...item,
              hasAddress: Boolean(address),
            }),
          ),
        }),
      ),
    };
  }

  it('when a batch brings the results of two requests, interleaved, one failed and one delivered twice, then it has the effects of recording them one by one: each item ends once, the failed one loses its password, each request finishes once', async () => {
    clock.set(FRIDAY_10H);
    const { agencyId } = await buildAgency();
    const token = await accessTokenFor(agencyId);
    const a = await submitted(token, agencyId, 4);
    const b = await submitted(token, agencyId, 2);
    const c = await submitted(token, agencyId, 4); // the same results as a, one at a time
    const pattern = (r: { requestId: string; itemIds: string[] }) => [
      resultFor(r.requestId, r.itemIds[0]!, 'applied'),
      resultFor(r.requestId, r.itemIds[2]!, 'failed'),
      resultFor(r.requestId, r.itemIds[1]!, 'applied'),
      // a second, different result for an item already ended in this batch: changes nothing
      resultFor(r.requestId, r.itemIds[0]!, 'failed'),
      resultFor(r.requestId, r.itemIds[3]!, 'applied'),
    ];
    const [a0, a1, a2, a3, a4] = pattern(a);
    clock.advance(HOUR);

    await deliverBatch([
      a0!,
      resultFor(b.requestId, b.itemIds[1]!, 'applied'),
      a1!,
      a2!,
      resultFor(b.requestId, b.itemIds[0]!, 'applied'),
      a3!,
      a4!,
    ]);
    for (const event of pattern(c)) await results.deliver(Topics.provisioningResults, event);

    const batched = await outcome(a.requestId);
    expect(batched.items.map((i) => i.status)).toEqual(['completed', 'completed', 'failed', 'completed']);
    expect(batched.items.map((i) => i.passwordKept)).toEqual([true, true, false, true]);
    expect(batched.items.every((i) => i.sameAddress)).toBe(true);
    const filer = batched.history[0]!.replace('0:approved:', '');
    expect(batched.history).toEqual([
      `0:approved:${filer}`,
      '0:completed:system:provisioning',
      `1:approved:${filer}`,
      '1:completed:system:provisioning',
      `2:approved:${filer}`,
      '2:failed:system:provisioning',
      `3:approved:${filer}`,
      '3:completed:system:provisioning',
    ]);
    expect(batched.request.status).toBe('partially_completed');
    expect(batched.finished).toHaveLength(1);
    expect(batched.finished[0]).toMatchObject({
      status: 'partially_completed',
      finishedAt: clock.now().toISOString(),
    });
    // one by one, the same
    expect(await outcome(c.requestId)).toEqual(batched);
    const other = await outcome(b.requestId);
    expect(other.request.status).toBe('completed');
    expect(other.finished).toHaveLength(1);
  });

  it('when a batch ends only some items of a request, then the request is not finished; the batch that ends the rest finishes it once', async () => {
    clock.set(FRIDAY_10H);
    const { agencyId } = await buildAgency();
    const r = await submitted(await accessTokenFor(agencyId), agencyId, 3);

    await deliverBatch([
      resultFor(r.requestId, r.itemIds[0]!, 'applied'),
      resultFor(r.requestId, r.itemIds[2]!, 'applied'),
    ]);
    const part = await outcome(r.requestId);
    expect(part.items.map((i) => i.status)).toEqual(['completed', 'approved', 'completed']);
    expect(part.request.finished_at).toBeNull();
    expect(part.finished).toHaveLength(0);

    clock.advance(HOUR);
    await deliverBatch([
      resultFor(r.requestId, r.itemIds[1]!, 'applied'),
      resultFor(r.requestId, r.itemIds[0]!, 'failed'),
    ]);
    const all = await outcome(r.requestId);
    expect(all.items.map((i) => i.status)).toEqual(['completed', 'completed', 'completed']);
    expect(all.finished).toHaveLength(1);
    expect(all.finished[0]).toMatchObject({ status: 'completed', finishedAt: clock.now().toISOString() });
  });
});

describe('bulk requests (in process)', () => {
  it('when three 60-item requests arrive at once (bulk work, through the gate), then each is accepted and stores every item, its history, its sealed credential and its approved event, in the order of the request', async () => {
    clock.set(FRIDAY_10H);
    const { agencyId } = await buildAgency();
    const token = await accessTokenFor(agencyId);
    const bodies = [0, 1, 2].map(() =>
      buildRequest(
        agencyId,
        Array.from({ length: 60 }, (_, n) => ({
          operation: 'create',
          mailboxType: 'personal',
          person: { ...buildPerson(), ...(n === 7 ? { rank: 1, department: 'Văn phòng Sở' } : {}) },
          ...(n === 9 ? { reason: 'Cán bộ mới tuyển dụng' } : {}),
        })),
      ),
    );

    const answers = await Promise.all(bodies.map((body) => submit(token, body)));

    const keys = dataKeys(parseKeyRing(config.DATA_KEYS), config.NATIONAL_ID_HASH_KEY);
    for (const [r, res] of answers.entries()) {
      expect(res.statusCode, res.body).toBe(202);
      const answer = res.json() as { id: string; items: { id: string; status: string }[] };
      expect(answer.items).toHaveLength(60);
      // answered once stored: the background writer writes the items just after, no reader needed
      await itemsWritten(answer.id);
      expect(answer.items.every((i) => i.status === 'approved')).toBe(true);
      const items = await scratch.db
        .selectFrom('request_items')
        .leftJoin('credentials', 'credentials.item_id', 'request_items.id')
        .select([
          'request_items.id',
          'seq',
          'person',
          'reason',
          'changes',
          'address',
          'approvals_needed',
          'password_enc',
        ])
        .where('request_id', '=', answer.id)
        .orderBy('seq')
        .execute();
      expect(items.map((i) => i.id)).toEqual(answer.items.map((i) => i.id));
      expect(items.map((i) => (i.person as { givenName: string }).givenName)).toEqual(
        bodies[r]!.items.map((i) => (i as { person: { givenName: string } }).person.givenName),
      );
      expect(items[7]!.person).toMatchObject({ rank: 1, department: 'Văn phòng Sở' });
      expect(items[9]!.reason).toBe('Cán bộ mới tuyển dụng');
      expect(items[0]).toMatchObject({ reason: null, changes: null, address: null, approvals_needed: 0 });
      // each password sealed under the current data key, opening to a generated password
      for (const i of items) expect(decrypt(keys, i.password_enc!)).toMatch(/^[A-Za-z0-9!@#%$*&]{14}$/);
      const { rows: history } = await sql<{ item_id: string; to_status: string; at: Date }>`
        SELECT t.item_id, t.to_status, t.at FROM item_transitions t JOIN request_items i ON i.id = t.item_id
        WHERE i.request_id = ${answer.id} ORDER BY t.id`.execute(scratch.db);
      expect(history.map((h) => h.item_id)).toEqual(answer.items.map((i) => i.id));
      expect(
        history.every((h) => h.to_status === 'approved' && h.at.getTime() === FRIDAY_10H.getTime()),
      ).toBe(true);
      const approved = (await outboxEvents(answer.id)).filter(
        (e) => e.type === 'vn.gov.hopthu.request.item.approved.v1',
      );
      expect(approved.map((e) => e.data.itemId)).toEqual(answer.items.map((i) => i.id));
      expect(approved.every((e) => String(e.data.passwordHash).startsWith('{SSHA512}'))).toBe(true);
      expect(approved[9]!.data.reason).toBe('Cán bộ mới tuyển dụng');
    }
  });
});
