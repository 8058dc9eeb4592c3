// Ownership and persons: an operation on a mailbox the agency does not own is refused; a create
// for a person who already has a mailbox in the agency is refused; national IDs are validated,
// sealed at rest with a keyed hash, shown masked, and never put in events or logs. Agencies and
// mailboxes here exist only in the requests service's directory replica.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@hopthu/shared/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accessToken,
  call,
  db,
  person,
  replicaAgencyClient,
  registerClient,
  replicaOnlyAgency,
  requestBody,
  submit,
  useRequests,
  writesFor,
} from './security-helpers.ts';

useRequests();
let agencyId: string;
let otherAgencyId: string;
let token: string;

async function replicaMailbox(agency: string, type: 'personal' | 'agency' = 'personal', state = 'active') {
  const address = `t${randomUUID().slice(0, 8)}@test.invalid`;
  await db().query(
    'INSERT INTO mailboxes (mailbox_id, address, agency_id, type, state, generation) VALUES ($1, $2, $3, $4, $5, 1)',
    [randomUUID(), address, agency, type, state],
  );
  return address;
}

/** A CCCD no earlier run used: Bắc Ninh, a man born in 1990, random serial. */
const freshCccd = () => `027090${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

beforeAll(async () => {
  ({ agencyId, token } = await replicaAgencyClient());
  otherAgencyId = await replicaOnlyAgency();
});

describe('operations on mailboxes the agency does not own', () => {
  for (const operation of ['suspend', 'restore', 'delete', 'reset_password', 'update'] as const) {
    it(`when it asks to ${operation} another agency's mailbox, then 403 names the address and nothing is written`, async () => {
      const address = await replicaMailbox(otherAgencyId);
      const body = requestBody(agencyId, [
        { operation, address, ...(operation === 'update' ? { changes: { position: 'Phó phòng' } } : {}) },
      ]);
      const res = await submit(token, body);
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body.errors?.[0]).toMatchObject({ field: '/items/0/address' });
      expect(res.body.errors?.[0]?.message.en).toContain(address);
      expect(await writesFor(body.reference.number)).toEqual({ requests: 0, items: 0, outbox: 0 });
    });
  }

  it('when the address does not exist or is deleted, then the same 403', async () => {
    const deleted = await replicaMailbox(agencyId, 'personal', 'deleted');
    const body = requestBody(agencyId, [
      { operation: 'suspend', address: `nobody-${randomUUID().slice(0, 6)}@test.invalid` },
      { operation: 'restore', address: deleted },
    ]);
    const res = await submit(token, body);
    expect(res.status).toBe(403);
    expect(res.body.errors?.map((e) => e.field)).toEqual(['/items/0/address', '/items/1/address']);
  });

  it('when one item of many is not owned, then the whole request is refused', async () => {
    const mine = await replicaMailbox(agencyId);
    const theirs = await replicaMailbox(otherAgencyId);
    const body = requestBody(agencyId, [
      { operation: 'suspend', address: mine },
      { operation: 'suspend', address: theirs },
    ]);
    const res = await submit(token, body);
    expect(res.status).toBe(403);
    expect(res.body.errors?.map((e) => e.field)).toEqual(['/items/1/address']);
    expect(await writesFor(body.reference.number)).toEqual({ requests: 0, items: 0, outbox: 0 });
  });

  it('when the agency suspends its own mailbox (address in any case), then it is accepted', async () => {
    const mine = await replicaMailbox(agencyId);
    const res = await submit(
      token,
      requestBody(agencyId, [{ operation: 'suspend', address: mine.toUpperCase() }]),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(202);
  });

  it('when the item says personal but the mailbox is an agency mailbox, then 400 names mailboxType', async () => {
    const mine = await replicaMailbox(agencyId, 'agency');
    const res = await submit(
      token,
      requestBody(agencyId, [{ operation: 'suspend', mailboxType: 'personal', address: mine }]),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.field)).toEqual(['/items/0/mailboxType']);
  });
});

describe('one mailbox per person per agency', () => {
  it('when the person (same national ID) already has a mailbox in the agency, then 409 and nothing is written', async () => {
    const id = freshCccd();
    const first = await submit(
      token,
      requestBody(agencyId, [{ operation: 'create', person: person({ nationalId: id }) }]),
    );
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    // Stand in for the directory and the provisioner: the first create completed with this mailbox.
    const address = await replicaMailbox(agencyId);
    await db().query(
      "UPDATE request_items SET status = 'completed', result_address = $2 WHERE request_id = $1",
      [first.body.id, address],
    );

    const again = requestBody(agencyId, [
      { operation: 'create', person: person({ nationalId: id, department: 'Khác' }) },
    ]);
    const res = await submit(token, again);
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.code).toBe('conflict');
    expect(res.body.errors?.[0]?.field).toBe('/items/0/person/nationalId');
    expect(res.body.errors?.[0]?.message.en).toContain(address);
    expect(JSON.stringify(res.body)).not.toContain(id);
    expect(await writesFor(again.reference.number)).toEqual({ requests: 0, items: 0, outbox: 0 });

    // In another agency the same person may get a mailbox.
    const elsewhere = await submit(
      await accessToken(await registerClient(otherAgencyId)),
      requestBody(otherAgencyId, [{ operation: 'create', person: person({ nationalId: id }) }]),
    );
    expect(elsewhere.status).toBe(202);

    // Once the mailbox is deleted, the person may be given a new one.
    await db().query("UPDATE mailboxes SET state = 'deleted' WHERE address = $1", [address]);
    expect(
      (
        await submit(
          token,
          requestBody(agencyId, [{ operation: 'create', person: person({ nationalId: id }) }]),
        )
      ).status,
    ).toBe(202);
  });

  it('when one request asks twice for the same person, then 409 names the second item', async () => {
    const id = freshCccd();
    const res = await submit(
      token,
      requestBody(agencyId, [
        { operation: 'create', person: person({ nationalId: id }) },
        { operation: 'create', person: person({ nationalId: id }) },
      ]),
    );
    expect(res.status).toBe(409);
    expect(res.body.errors?.map((e) => e.field)).toEqual(['/items/1/person/nationalId']);
  });
});

describe('national ID, date of birth and gender', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['an unknown province code', { nationalId: '003090001234' }, 'nationalId'],
    [
      'a year that contradicts the date of birth',
      { nationalId: '027091001234', dateOfBirth: '1990-05-17' },
      'nationalId',
    ],
    ['a sex digit that contradicts the gender', { nationalId: '027190001234', gender: 'male' }, 'nationalId'],
    ['a 9-digit CMND as nationalId', { nationalId: '123456789' }, 'nationalId'],
    ['a date of birth that does not exist', { dateOfBirth: '1990-02-30' }, 'dateOfBirth'],
    ['an unknown gender', { gender: 'x' }, 'gender'],
  ];
  for (const [what, fields, field] of cases) {
    it(`when the person has ${what}, then 400 names /items/0/person/${field} and nothing is written`, async () => {
      const body = requestBody(agencyId, [{ operation: 'create', person: person(fields) }]);
      const res = await submit(token, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.errors?.map((e) => e.field)).toContain(`/items/0/person/${field}`);
      expect(await writesFor(body.reference.number)).toEqual({ requests: 0, items: 0, outbox: 0 });
    });
  }

  it('when a valid CCCD, date of birth and legacy CMND are given, then they are sealed, masked in GET and absent from events and logs', async () => {
    const id = freshCccd();
    const cmnd = String(100_000_000 + Math.floor(Math.random() * 899_999_999));
    const dob = '1990-05-17';
    const body = requestBody(agencyId, [
      {
        operation: 'create',
        person: person({ nationalId: id, dateOfBirth: dob, gender: 'male', legacyNationalId: cmnd }),
      },
    ]);
    const res = await submit(token, body);
    expect(res.status, JSON.stringify(res.body)).toBe(202);

    const row = (
      await db().query(
        'SELECT person::text AS person, national_id_enc, national_id_hash, date_of_birth_enc FROM request_items WHERE request_id = $1',
        [res.body.id],
      )
    ).rows[0];
    const stored = JSON.stringify(row);
    for (const secret of [id, cmnd, dob]) expect(stored).not.toContain(secret);
    expect(row.national_id_hash).toMatch(/^[0-9a-f]{64}$/);

    const read = await call('GET', `/v1/requests/${String(res.body.id)}`, { token });
    const shown = (read.body.items as { person: Record<string, string> }[])[0]!.person;
    expect(shown).toMatchObject({
      nationalId: `027*******${id.slice(-2)}`,
      legacyNationalId: `${cmnd.slice(0, 3)}****${cmnd.slice(-2)}`,
      dateOfBirth: '1990-**-**',
      gender: 'male',
    });
    expect(JSON.stringify(read.body)).not.toContain(id);

    const events = await db().query(
      'SELECT payload::text AS p FROM outbox WHERE key = $1 OR payload::text LIKE $2',
      [res.body.id, `%${String(res.body.id)}%`],
    );
    expect(events.rows.length).toBeGreaterThan(0);
    for (const e of events.rows) for (const secret of [id, cmnd, dob]) expect(e.p).not.toContain(secret);

    const log = path.join(repoRoot, 'var/log/requests.log');
    if (existsSync(log)) {
      const text = readFileSync(log, 'utf8');
      for (const secret of [id, cmnd]) expect(text).not.toContain(secret);
    }
  });
});
