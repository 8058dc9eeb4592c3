// The inputs issue 18's fuzzer found answering 500: a NUL character or a lone UTF-16 surrogate in
// an ordinary string field (valid JSON that PostgreSQL cannot store). Each must now be a 400
// problem+json naming the field in Vietnamese and English, with nothing written: no request, item
// or outbox event carrying the request's unique reference, no agency with the test's unique
// abbreviation and no outbox event naming it (counting rows by these markers keeps the check true
// while other tests write to the same databases).
import { randomUUID } from 'node:crypto';
import {
  adminFetch,
  createSqlPool,
  serviceDatabaseUrl,
  serviceUrl,
  useRunningOrStart,
} from '@hopthu/shared/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  person,
  replicaAgencyClient,
  requestBody,
  submit,
  useRequests,
  writesFor,
} from '../services/requests/test/security-helpers.ts';

useRequests();
let agencyId: string;
let token: string;
let directoryDb: pg.Pool;
let stopDirectory: () => Promise<void>;

beforeAll(async () => {
  ({ agencyId, token } = await replicaAgencyClient());
  stopDirectory = (await useRunningOrStart('directory')).stop;
  directoryDb = createSqlPool(serviceDatabaseUrl('directory'));
});
afterAll(async () => {
  await directoryDb?.end();
  await stopDirectory?.();
});

const HOSTILE = { NUL: 'Nguyễn\u0000Văn', 'lone surrogate': 'Nguyễn\ud800Văn' } as const;

interface Problem {
  code: string;
  message: { vi: string; en: string };
  errors: { field: string; message: { vi: string; en: string } }[];
}

function expectProblemNaming(res: { status: number; headers: Headers; body: unknown }, field: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const problem = res.body as Problem;
  expect(problem.code).toBe('validation_failed');
  const error = problem.errors.find((e) => e.field === field);
  expect(error, JSON.stringify(problem.errors)).toBeDefined();
  expect(error?.message.vi).toBeTruthy();
  expect(error?.message.en).toBeTruthy();
}

describe('POST /v1/requests refuses text PostgreSQL cannot store', () => {
  const cases = [
    ['agencyId', '/agencyId', (v: string) => requestBody(v, [{ operation: 'create', person: person() }])],
    [
      'requester.fullName',
      '/requester/fullName',
      (v: string) =>
        requestBody(agencyId, [{ operation: 'create', person: person() }], {
          requester: { fullName: v, position: 'Văn thư' },
        }),
    ],
    [
      'requester.position',
      '/requester/position',
      (v: string) =>
        requestBody(agencyId, [{ operation: 'create', person: person() }], {
          requester: { fullName: 'Nguyễn Thị Thử', position: v },
        }),
    ],
  ] as const;

  for (const [name, field, build] of cases) {
    for (const [kind, value] of Object.entries(HOSTILE)) {
      it(`when ${name} holds a ${kind}, then 400 naming ${field} and nothing is written`, async () => {
        const body = build(value);
        const res = await submit(token, body);
        expectProblemNaming(res, field);
        expect(await writesFor(body.reference.number)).toEqual({ requests: 0, items: 0, outbox: 0 });
      });
    }
  }

  it('when the Idempotency-Key holds a control character (C1, as the byte 0x85 arrives), then 400 naming the header', async () => {
    const body = requestBody(agencyId, [{ operation: 'create', person: person() }]);
    const res = await submit(token, body, `key-${randomUUID()}\u0085`);
    expectProblemNaming(res, 'header:/idempotency-key');
    expect(await writesFor(body.reference.number)).toEqual({ requests: 0, items: 0, outbox: 0 });
  });
});

describe("the directory's POST /admin/agencies refuses text PostgreSQL cannot store", () => {
  for (const [kind, value] of Object.entries(HOSTILE)) {
    it(`when name holds a ${kind}, then 400 naming /name and no agency or event is written`, async () => {
      const abbreviation = `fz${randomUUID().slice(0, 8)}`;
      const res = await fetch(`${serviceUrl('directory')}/admin/agencies`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: (await adminAuthorization()) as string,
        },
        body: JSON.stringify({ province: 'bac-ninh', name: `Sở ${value}`, abbreviation, unitType: 'agency' }),
      });
      expectProblemNaming({ status: res.status, headers: res.headers, body: await res.json() }, '/name');
      const agencies = await directoryDb.query(
        'SELECT count(*)::int AS n FROM agencies WHERE abbreviation = $1',
        [abbreviation],
      );
      const events = await directoryDb.query(
        'SELECT count(*)::int AS n FROM outbox WHERE payload::text LIKE $1',
        [`%${abbreviation}%`],
      );
      expect({ agencies: agencies.rows[0].n, events: events.rows[0].n }).toEqual({ agencies: 0, events: 0 });
    });
  }
});

/** The admin bearer as the stack's services take it (adminFetch's token), checked once against a real admin route. */
async function adminAuthorization() {
  const probe = await adminFetch(serviceUrl('directory'), 'GET', '/admin/decisions');
  expect(probe.status).toBe(200);
  const { testAdminToken } = await import('@hopthu/shared/testing');
  return `Bearer ${testAdminToken}`;
}
