// Fuzzing POST /v1/requests with generated bodies and headers (fast-check, bounded runs): the
// service never answers 5xx, every answer is JSON (problem+json when refused), and a call writes
// either a whole request (the request, every item and its submitted event) or nothing at all.
// It acts for an agency that exists only in the requests service's replica.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, db, replicaAgencyClient, useRequests } from './security-helpers.ts';

useRequests();
let agencyId: string;
let clientId: string;
let token: string;

beforeAll(async () => {
  ({ agencyId, clientId, token } = await replicaAgencyClient());
});

async function snapshot() {
  const r = await db().query(
    `SELECT
       (SELECT count(*)::int FROM requests WHERE client_id = $1) AS requests,
       (SELECT count(*)::int FROM request_items i JOIN requests r ON r.id = i.request_id WHERE r.client_id = $1) AS items,
       (SELECT count(*)::int FROM outbox WHERE payload::text LIKE $2 AND payload->>'type' = 'vn.gov.hopthu.request.submitted.v1') AS submitted`,
    [clientId, `%${agencyId}%`],
  );
  return r.rows[0] as { requests: number; items: number; submitted: number };
}

const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(
    'Nguyễn',
    'Nguyễn'.normalize('NFD'),
    'Đặng',
    "H'Hen",
    'Êčăm',
    '',
    ' ',
    '\u0000',
    '<script>',
    "' OR 1=1 --",
  ),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const personArb = fc.record(
  {
    familyName: text,
    middleName: text,
    givenName: text,
    position: maybe(text),
    department: maybe(text),
    dateOfBirth: maybe(
      fc.oneof(fc.constantFrom('1990-05-17', '2026-02-30', '1899-01-01'), fc.string({ maxLength: 12 })),
    ),
    gender: maybe(fc.constantFrom('male', 'female', 'other')),
    nationalId: maybe(
      fc.oneof(fc.stringMatching(/^\d{12}$/), fc.constantFrom('027090001234', '123456789'), text),
    ),
    extra: maybe(text),
  },
  { requiredKeys: ['familyName', 'middleName', 'givenName'] },
);

const itemArb = fc.record(
  {
    operation: fc.constantFrom(
      'create',
      'update',
      'suspend',
      'restore',
      'delete',
      'reset_password',
      'merge',
      '',
    ),
    mailboxType: maybe(fc.constantFrom('personal', 'agency', 'shared')),
    person: maybe(personArb),
    agencyId: maybe(fc.oneof(fc.constant('SELF'), fc.uuid(), text)),
    address: maybe(fc.oneof(fc.emailAddress(), text)),
    reason: maybe(text),
    changes: maybe(
      fc.dictionary(fc.constantFrom('position', 'department', 'agencyId', 'x'), text, { maxKeys: 3 }),
    ),
  },
  { requiredKeys: ['operation'] },
);

const bodyArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        agencyId: fc.oneof(fc.constant('SELF'), fc.uuid(), text),
        requester: fc.oneof(
          fc.record({ fullName: text, phone: maybe(text) }, { requiredKeys: ['fullName'] }),
          fc.jsonValue(),
        ),
        reference: fc.record({
          number: fc.constant('REF'),
          date: fc.constantFrom('2026-11-20', '20/11/2026', ''),
        }),
        items: fc.array(itemArb, { minLength: 0, maxLength: 6 }),
        note: maybe(text),
      },
      { requiredKeys: ['agencyId', 'requester', 'reference', 'items'] },
    ),
  },
  {
    // Mostly valid forms, so accepted requests are fuzzed too (whole-or-nothing writes).
    weight: 3,
    arbitrary: fc.record({
      agencyId: fc.constant('SELF'),
      requester: fc.record({ fullName: fc.constantFrom('Nguyễn Thị Bình', 'Lê Văn A') }),
      reference: fc.record({ number: fc.constant('REF'), date: fc.constant('2026-11-20') }),
      items: fc.array(
        fc.record({
          operation: fc.constant('create'),
          person: fc.record({
            familyName: fc.constantFrom('Trần', 'Nguyễn'.normalize('NFD'), 'Tôn Thất'),
            middleName: fc.constantFrom('', 'Văn', 'Thị Mộng'),
            givenName: fc.constantFrom('Anh', "H'Hen", 'Êčăm'),
            gender: fc.constantFrom('male', 'female'),
          }),
        }),
        { minLength: 1, maxLength: 5 },
      ),
    }),
  },
  { weight: 2, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.string() },
);

const headerArb = fc.record({
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/merge-patch+json',
    '',
  ),
  idempotencyKey: maybe(fc.stringMatching(/^[\x21-\x7e]{0,250}$/)),
  authorization: fc.constantFrom('good', 'none', 'Bearer x', 'Basic abc'),
});

const substitute = (value: unknown, reference: string): unknown => {
  if (value === 'SELF') return agencyId;
  if (value === 'REF') return reference;
  if (Array.isArray(value)) return value.map((v) => substitute(v, reference));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, reference)]));
  return value;
};

describe('fuzzing POST /v1/requests', () => {
  it('when generated bodies and headers are posted, then never a 5xx and never a partial write', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArb, headerArb, async (generated, h) => {
        const reference = `FUZZ-${randomUUID()}`;
        const body = substitute(generated, reference);
        const headers: Record<string, string> = {};
        if (h.contentType) headers['content-type'] = h.contentType;
        if (h.idempotencyKey !== undefined) headers['idempotency-key'] = h.idempotencyKey;
        if (h.authorization === 'good') headers.authorization = `Bearer ${token}`;
        else if (h.authorization !== 'none') headers.authorization = h.authorization;

        const before = await snapshot();
        const res = await fetch(`${baseUrl}/v1/requests`, {
          method: 'POST',
          headers,
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });
        const answer = (await res.json()) as { id?: string; items?: unknown[] };
        const after = await snapshot();

        expect(res.status, JSON.stringify({ body, headers, answer }).slice(0, 2000)).toBeLessThan(500);
        if (res.status === 202 && after.requests > before.requests) {
          // A whole request: one request row, every item, one submitted event.
          const items = (body as { items: unknown[] }).items;
          expect(after.requests - before.requests).toBe(1);
          expect(after.items - before.items).toBe(items.length);
          expect(after.submitted - before.submitted).toBe(1);
          expect(answer.items).toHaveLength(items.length);
        } else {
          if (res.status !== 202)
            expect(res.headers.get('content-type')).toContain('application/problem+json');
          expect(after).toEqual(before);
        }
      }),
      { numRuns: 200 },
    );
  });
});
