// Validation of POST /v1/requests: every rejection is problem+json naming each failing field by
// path in Vietnamese and English and writes nothing (no request, no item, no outbox event);
// unknown fields, invalid UTF-8 and missing headers are refused; decomposed Vietnamese is stored
// as NFC; Idempotency-Key replays answer the same; 500 items go through. These requests act for an
// agency that exists only in the requests service's replica, so nothing reaches the mail server.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  call,
  db,
  person,
  replicaAgencyClient,
  requestBody,
  submit,
  useRequests,
  writesFor,
} from './security-helpers.ts';

useRequests();
let agencyId: string;
let token: string;

beforeAll(async () => {
  ({ agencyId, token } = await replicaAgencyClient());
});

function expectProblem(res: Answer, status: number, fields: string[]) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, type: expect.stringMatching(/^https:\/\//) });
  const got = (res.body.errors ?? []).map((e) => e.field);
  for (const f of fields) expect(got).toContain(f);
  for (const e of res.body.errors ?? []) {
    expect(e.message.vi.length).toBeGreaterThan(0);
    expect(e.message.en.length).toBeGreaterThan(0);
  }
  expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+|stack/i);
}

async function expectNothingWritten(reference: string) {
  expect(await writesFor(reference)).toEqual({ requests: 0, items: 0, outbox: 0 });
}

describe('schema validation', () => {
  const cases: [string, (b: ReturnType<typeof requestBody>) => unknown, string[]][] = [
    ['an unknown top-level field', (b) => ({ ...b, priority: 'high' }), ['/priority']],
    [
      'an unknown person field',
      (b) => ({ ...b, items: [{ operation: 'create', person: { ...person(), nickname: 'x' } }] }),
      ['/items/0/person/nickname'],
    ],
    ['a missing requester', ({ requester: _r, ...b }) => b, ['/requester']],
    [
      'a missing given name and an empty family name',
      (b) => ({ ...b, items: [{ operation: 'create', person: { familyName: '', middleName: '' } }] }),
      ['/items/0/person/givenName', '/items/0/person/familyName'],
    ],
    ['an unknown operation', (b) => ({ ...b, items: [{ operation: 'rename' }] }), ['/items/0/operation']],
    ['no items', (b) => ({ ...b, items: [] }), ['/items']],
    [
      'a wrong type and a bad date',
      (b) => ({ ...b, agencyId: 42, reference: { number: b.reference.number, date: '20/11/2026' } }),
      ['/agencyId', '/reference/date'],
    ],
    [
      'a personal create without a person and a suspend without an address',
      (b) => ({ ...b, items: [{ operation: 'create', mailboxType: 'personal' }, { operation: 'suspend' }] }),
      ['/items/0/person', '/items/1/address'],
    ],
  ];
  for (const [what, edit, fields] of cases) {
    it(`when the body has ${what}, then 400 names ${fields.join(', ')} and nothing is written`, async () => {
      const body = requestBody(agencyId, [{ operation: 'create', person: person() }]);
      const res = await submit(token, edit(body));
      expectProblem(res, 400, fields);
      await expectNothingWritten(body.reference.number);
    });
  }

  it('when an enum field is wrong, then it is named once, not once per allowed value', async () => {
    const res = await submit(token, requestBody(agencyId, [{ operation: 'rename' }]));
    expect((res.body.errors ?? []).filter((e) => e.field === '/items/0/operation')).toHaveLength(1);
  });

  it('when the body is not valid UTF-8, then 400 invalid_utf8 and nothing is written', async () => {
    const body = requestBody(agencyId, [{ operation: 'create', person: person({ givenName: 'XXXX' }) }]);
    const raw = Buffer.from(JSON.stringify(body), 'utf8');
    const at = raw.indexOf('XXXX');
    raw[at] = 0xc3; // a lead byte followed by ASCII: not UTF-8 (TCVN3/VNI-style legacy bytes)
    raw[at + 1] = 0x28;
    const res = await call('POST', '/v1/requests', {
      token,
      rawBody: raw,
      headers: { 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
    });
    expectProblem(res, 400, []);
    expect(res.body.code).toBe('invalid_utf8');
    await expectNothingWritten(body.reference.number);
  });

  it('when the body is malformed JSON or not JSON, then 400/415 problems', async () => {
    const bad = await call('POST', '/v1/requests', {
      token,
      rawBody: '{"agencyId":',
      headers: { 'idempotency-key': randomUUID() },
    });
    expectProblem(bad, 400, []);
    const text = await call('POST', '/v1/requests', {
      token,
      rawBody: 'hello',
      headers: { 'idempotency-key': randomUUID(), 'content-type': 'text/plain' },
    });
    expectProblem(text, 415, []);
  });

  it('when the Idempotency-Key header is missing, then 400 names it and nothing is written', async () => {
    const body = requestBody(agencyId, [{ operation: 'create', person: person() }]);
    const res = await call('POST', '/v1/requests', { token, body });
    expectProblem(res, 400, ['headers:/idempotency-key']);
    await expectNothingWritten(body.reference.number);
  });

  it('when the body is over the size limit, then 413', async () => {
    const body = requestBody(agencyId, [
      { operation: 'create', person: person({ department: 'x'.repeat(2_000_000) }) },
    ]);
    const res = await submit(token, body);
    expectProblem(res, 413, []);
  });
});

describe('text and idempotency', () => {
  it('when names come decomposed (NFD), then they are stored as NFC', async () => {
    const nfd = 'Nguyễn'.normalize('NFD');
    expect(nfd).not.toBe('Nguyễn'.normalize('NFC'));
    const body = requestBody(agencyId, [
      { operation: 'create', person: person({ familyName: nfd, middleName: 'Thị'.normalize('NFD') }) },
    ]);
    const res = await submit(token, body);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const row = await db().query(
      "SELECT person->>'familyName' AS f, person->>'middleName' AS m FROM request_items WHERE request_id = $1",
      [res.body.id],
    );
    expect(row.rows[0]).toEqual({ f: 'Nguyễn'.normalize('NFC'), m: 'Thị'.normalize('NFC') });
  });

  it('when the same key and body come again (keys reordered too), then the same answer and one request', async () => {
    const key = randomUUID();
    const body = requestBody(agencyId, [{ operation: 'create', person: person() }]);
    const first = await submit(token, body, key);
    expect(first.status).toBe(202);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await submit(token, reordered, key);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect((await writesFor(body.reference.number)).requests).toBe(1);
  });

  it('when the same key comes with another body, then 422 idempotency_conflict and nothing more is written', async () => {
    const key = randomUUID();
    const body = requestBody(agencyId, [{ operation: 'create', person: person() }]);
    expect((await submit(token, body, key)).status).toBe(202);
    const other = { ...body, requester: { fullName: 'Người khác' } };
    const res = await submit(token, other, key);
    expectProblem(res, 422, []);
    expect(res.body.code).toBe('idempotency_conflict');
    expect(await writesFor(body.reference.number)).toMatchObject({ requests: 1, items: 1 });
  });

  it('when the same key and body arrive at the same moment, then all get the same answer', async () => {
    const key = randomUUID();
    const body = requestBody(agencyId, [{ operation: 'create', person: person() }]);
    const answers = await Promise.all(Array.from({ length: 5 }, () => submit(token, body, key)));
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(202);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect((await writesFor(body.reference.number)).requests).toBe(1);
  });

  it('when a request has 500 items, then it is accepted with 500 items', async () => {
    const items = Array.from({ length: 500 }, () => ({
      operation: 'create',
      mailboxType: 'personal',
      person: person(),
    }));
    const body = requestBody(agencyId, items);
    const res = await submit(token, body);
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(202);
    expect(res.body.items as unknown[]).toHaveLength(500);
    const read = await call('GET', `/v1/requests/${String(res.body.id)}`, { token });
    expect(read.body.items as unknown[]).toHaveLength(500);
  });
});
