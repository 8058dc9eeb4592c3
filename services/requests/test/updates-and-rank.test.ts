// What an `update` may change and the rank of a person, as the agency API accepts them and as the
// item.approved event forwards them to the directory (read from the outbox, written in the same
// transaction as the request). Agencies and mailboxes here exist only in the requests service's
// directory replica, so nothing reaches the mail server; test/operations.test.ts shows the effects
// of transfers and conversions end to end.
import { randomUUID } from 'node:crypto';
import { adminFetch } from '@hopthu/shared/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  baseUrl,
  db,
  person,
  registerClient,
  accessToken,
  replicaOnlyAgency,
  requestBody,
  submit,
  useRequests,
  writesFor,
} from './security-helpers.ts';

useRequests();

/** An agency of the demo province (its policy approves personal-mailbox work on receipt). */
let auto: { agencyId: string; token: string };
/** An agency of a province without a policy: every item waits for an operator. */
let held: { agencyId: string; token: string };

async function agencyWithClient(province: string) {
  const agencyId = await replicaOnlyAgency(undefined, province);
  return { agencyId, token: await accessToken(await registerClient(agencyId)) };
}

async function replicaMailbox(agencyId: string, type: 'personal' | 'agency') {
  const address = `t${randomUUID().slice(0, 8)}@test.invalid`;
  await db().query(
    "INSERT INTO mailboxes (mailbox_id, address, agency_id, type, state, generation) VALUES ($1, $2, $3, $4, 'active', 1)",
    [randomUUID(), address, agencyId, type],
  );
  return address;
}

/** The data of the item.approved event the outbox holds for an item, if any. */
async function approvedEvent(itemId: string) {
  const r = await db().query(
    "SELECT payload->'data' AS data FROM outbox WHERE payload->>'type' = 'vn.gov.hopthu.request.item.approved.v1' AND payload->>'subject' = $1",
    [itemId],
  );
  return r.rows[0]?.data as (Record<string, unknown> & { person?: Record<string, unknown> }) | undefined;
}

beforeAll(async () => {
  auto = await agencyWithClient('bac-ninh');
  held = await agencyWithClient('bacninh');
});

describe('person.rank', () => {
  it('when a create gives person.rank, then the item.approved event of an item approved on receipt carries it', async () => {
    const res = await submit(
      auto.token,
      requestBody(auto.agencyId, [
        { operation: 'create', mailboxType: 'personal', person: person({ rank: 2 }) },
        { operation: 'create', mailboxType: 'personal', person: person() },
      ]),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const [ranked, unranked] = res.body.items as { id: string; status: string }[];
    expect(ranked!.status).toBe('approved');
    expect((await approvedEvent(ranked!.id))?.person).toMatchObject({ rank: 2 });
    expect((await approvedEvent(unranked!.id))?.person).not.toHaveProperty('rank');
  });

  it('when an operator approves a create with person.rank, then the event carries it too', async () => {
    const res = await submit(
      held.token,
      requestBody(held.agencyId, [
        { operation: 'create', mailboxType: 'personal', person: person({ rank: 1 }) },
      ]),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const item = (res.body.items as { id: string; status: string }[])[0]!;
    expect(item.status).toBe('pending_approval');
    const approved = await adminFetch(
      baseUrl,
      'POST',
      `/admin/requests/${String(res.body.id)}/items/${item.id}/approve`,
      { operator: 'op.rank' },
    );
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect((await approvedEvent(item.id))?.person).toMatchObject({ rank: 1 });
  });

  it('when person.rank is not a positive integer, then 400 names it and nothing is written', async () => {
    for (const rank of [0, 1.5, '1']) {
      const body = requestBody(auto.agencyId, [
        { operation: 'create', mailboxType: 'personal', person: person({ rank }) },
      ]);
      const res = await submit(auto.token, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.errors?.map((e) => e.field)).toContain('/items/0/person/rank');
      expect(await writesFor(body.reference.number)).toEqual({ requests: 0, items: 0, outbox: 0 });
    }
  });
});

describe('update: what it may change', () => {
  it('when an update asks to convert a personal mailbox to the current rule, then the event forwards changes.convertAddress', async () => {
    const address = await replicaMailbox(auto.agencyId, 'personal');
    const res = await submit(
      auto.token,
      requestBody(auto.agencyId, [{ operation: 'update', address, changes: { convertAddress: true } }]),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const item = (res.body.items as { id: string }[])[0]!;
    expect(await approvedEvent(item.id)).toMatchObject({
      operation: 'update',
      mailboxType: 'personal',
      address,
      changes: { convertAddress: true },
    });
  });

  it('when an agency mailbox gets a new head, then the update is accepted with the head in changes', async () => {
    const address = await replicaMailbox(held.agencyId, 'agency');
    const head = { familyName: 'Nguyễn', middleName: 'Văn', givenName: 'Thủ', position: 'Giám đốc' };
    const res = await submit(
      held.token,
      requestBody(held.agencyId, [{ operation: 'update', address, changes: { head } }]),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const rows = await db().query('SELECT changes FROM request_items WHERE id = $1', [
      (res.body.items as { id: string }[])[0]!.id,
    ]);
    expect(rows.rows[0].changes).toEqual({ head });
  });

  const refused: [string, (personal: string, agency: string) => Record<string, unknown>, number, string][] = [
    [
      'an unknown change (an agency rename)',
      (p) => ({ operation: 'update', address: p, changes: { name: 'Sở mới' } }),
      400,
      '/items/0/changes/name',
    ],
    ['no change at all', (p) => ({ operation: 'update', address: p, changes: {} }), 400, '/items/0/changes'],
    [
      'changes on a suspend',
      (p) => ({ operation: 'suspend', address: p, changes: { position: 'x' } }),
      400,
      '/items/0/changes',
    ],
    [
      'a head for a personal mailbox',
      (p) => ({ operation: 'update', address: p, changes: { head: { familyName: 'Lê', givenName: 'An' } } }),
      400,
      '/items/0/changes/head',
    ],
    [
      'a position for an agency mailbox',
      (_p, a) => ({ operation: 'update', address: a, changes: { position: 'Giám đốc' } }),
      400,
      '/items/0/changes/position',
    ],
    [
      'a transfer of an agency mailbox',
      (_p, a) => ({ operation: 'update', address: a, changes: { agencyId: auto.agencyId } }),
      400,
      '/items/0/changes/agencyId',
    ],
    [
      'convertAddress that is not a boolean',
      (p) => ({ operation: 'update', address: p, changes: { convertAddress: 'yes' } }),
      400,
      '/items/0/changes/convertAddress',
    ],
  ];
  for (const [what, item, status, field] of refused) {
    it(`when an item has ${what}, then ${status} names ${field} and nothing is written`, async () => {
      const body = requestBody(auto.agencyId, [
        item(await replicaMailbox(auto.agencyId, 'personal'), await replicaMailbox(auto.agencyId, 'agency')),
      ]);
      const res = await submit(auto.token, body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.errors?.map((e) => e.field)).toContain(field);
      expect(await writesFor(body.reference.number)).toEqual({ requests: 0, items: 0, outbox: 0 });
    });
  }
});
