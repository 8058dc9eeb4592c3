// Authorisation on every agency route and item: an agency acts for itself and its sub-units only,
// and reads only its own requests. Tried as another agency (snv), as a parent (stttt for its
// sub-unit ttcntttt: allowed) and as a child (ttcntttt for stttt: refused). A refusal writes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accessToken,
  agencyMailbox,
  call,
  demo,
  person,
  requestBody,
  submit,
  useRequests,
  writesFor,
} from './security-helpers.ts';

useRequests();
const stttt = demo('stttt');
const snv = demo('snv');
const ttcntttt = demo('ttcntttt');
let parentRequest: { id: string; items: { id: string }[] };

beforeAll(async () => {
  // The parent acting for its sub-unit: allowed. This request is also what the others try to read.
  const body = requestBody(ttcntttt.agencyId, [
    { operation: 'create', mailboxType: 'personal', person: person() },
  ]);
  const res = await submit(await accessToken(stttt), body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  parentRequest = res.body as never;
});

async function expectRefused(
  client: typeof stttt,
  body: ReturnType<typeof requestBody>,
  field: string,
): Promise<void> {
  const res = await submit(await accessToken(client), body);
  expect(res.status, JSON.stringify(res.body)).toBe(403);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body.code).toBe('forbidden');
  expect(res.body.errors?.map((e) => e.field)).toContain(field);
  for (const e of res.body.errors ?? []) {
    expect(e.message.vi).toBeTruthy();
    expect(e.message.en).toBeTruthy();
  }
  expect(await writesFor(body.reference.number)).toEqual({ requests: 0, items: 0, outbox: 0 });
}

describe('POST /v1/requests: who an agency may act for', () => {
  it('when the parent stttt asks for its sub-unit ttcntttt, then the request is accepted', async () => {
    expect(parentRequest.id).toMatch(/^[0-9a-f-]{36}$/);
    const read = await call('GET', `/v1/requests/${parentRequest.id}`, { token: await accessToken(stttt) });
    expect(read.status).toBe(200);
  });

  it('when the parent stttt names a sub-unit item (agency mailbox of ttcntttt), then it passes the scope check', async () => {
    // The directory refuses a second agency mailbox later; here only the authorisation is under test.
    const body = requestBody(stttt.agencyId, [
      { operation: 'create', mailboxType: 'agency', agencyId: ttcntttt.agencyId },
    ]);
    const res = await submit(await accessToken(stttt), body);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
  });

  it('when another agency (snv) acts for stttt, then 403 names /agencyId and nothing is written', async () => {
    await expectRefused(
      snv,
      requestBody(stttt.agencyId, [{ operation: 'create', person: person() }]),
      '/agencyId',
    );
  });

  it('when the child ttcntttt acts for its parent stttt, then 403', async () => {
    await expectRefused(
      ttcntttt,
      requestBody(stttt.agencyId, [{ operation: 'create', person: person() }]),
      '/agencyId',
    );
  });

  it('when an agency acts for an agency id that does not exist, then the same 403', async () => {
    await expectRefused(
      stttt,
      requestBody('00000000-0000-4000-8000-000000000000', [{ operation: 'create', person: person() }]),
      '/agencyId',
    );
  });

  it('when the child names its parent in an item, then 403 names /items/0/agencyId', async () => {
    await expectRefused(
      ttcntttt,
      requestBody(ttcntttt.agencyId, [
        { operation: 'create', mailboxType: 'agency', agencyId: stttt.agencyId },
      ]),
      '/items/0/agencyId',
    );
  });

  it('when snv suspends a mailbox of stttt, then 403 names /items/0/address', async () => {
    const address = await agencyMailbox(stttt.agencyId);
    await expectRefused(
      snv,
      requestBody(snv.agencyId, [{ operation: 'suspend', mailboxType: 'agency', address, reason: 'thử' }]),
      '/items/0/address',
    );
  });

  it('when the child ttcntttt resets the password of its parent’s mailbox, then 403', async () => {
    const address = await agencyMailbox(stttt.agencyId);
    await expectRefused(
      ttcntttt,
      requestBody(ttcntttt.agencyId, [{ operation: 'reset_password', mailboxType: 'agency', address }]),
      '/items/0/address',
    );
  });

  it('when stttt moves a mailbox to snv (update changes.agencyId), then 403 names /items/0/changes/agencyId', async () => {
    const address = await agencyMailbox(ttcntttt.agencyId);
    await expectRefused(
      stttt,
      requestBody(stttt.agencyId, [
        { operation: 'update', mailboxType: 'agency', address, changes: { agencyId: snv.agencyId } },
      ]),
      '/items/0/changes/agencyId',
    );
  });
});

describe('reads: an agency reads only its own requests', () => {
  it('when snv reads stttt’s request, then 404 (not 403: ids are not probed)', async () => {
    const res = await call('GET', `/v1/requests/${parentRequest.id}`, { token: await accessToken(snv) });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('when the sub-unit ttcntttt reads the request its parent filed for it, then 404', async () => {
    const res = await call('GET', `/v1/requests/${parentRequest.id}`, { token: await accessToken(ttcntttt) });
    expect(res.status).toBe(404);
  });

  it('when snv lists requests, then stttt’s request is not among them; stttt’s list has it', async () => {
    const theirs = await call('GET', '/v1/requests', { token: await accessToken(snv) });
    expect(theirs.status).toBe(200);
    expect((theirs.body.items as { id: string }[]).map((i) => i.id)).not.toContain(parentRequest.id);
    const ours = await call('GET', '/v1/requests', { token: await accessToken(stttt) });
    expect((ours.body.items as { id: string }[]).map((i) => i.id)).toContain(parentRequest.id);
  });

  it('when snv or ttcntttt opens the credential link of stttt’s item, then 404', async () => {
    const url = `/v1/requests/${parentRequest.id}/items/${parentRequest.items[0]!.id}/credential`;
    for (const client of [snv, ttcntttt]) {
      const res = await call('GET', url, { token: await accessToken(client) });
      expect(res.status).toBe(404);
    }
  });

  it('when no token is sent, then every agency route answers 401', async () => {
    const id = parentRequest.id;
    for (const [method, url] of [
      ['GET', '/v1/requests'],
      ['GET', `/v1/requests/${id}`],
      ['GET', `/v1/requests/${id}/items/${parentRequest.items[0]!.id}/credential`],
      ['POST', '/v1/requests'],
    ] as const) {
      const res = await call(method, url, method === 'POST' ? { body: {} } : {});
      expect(res.status, `${method} ${url}`).toBe(401);
    }
  });
});
