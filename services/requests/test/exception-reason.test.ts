// Đắk Nông Điều 5 lets a person hold more than one personal mailbox "in special cases": the agency
// asks for it on the create with `exceptionReason`, which reaches the directory on the approved
// event; every other province, and every other operation, refuses the field and writes nothing.
import { adminFetch } from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';
import {
  accessToken,
  baseUrl,
  db,
  person,
  registerClient,
  replicaOnlyAgency,
  requestBody,
  submit,
  useRequests,
} from './security-helpers.ts';

useRequests();

async function agencyWithClient(province: string) {
  const agencyId = await replicaOnlyAgency(undefined, province);
  return { agencyId, token: await accessToken(await registerClient(agencyId)) };
}

async function approvedEventData(itemId: string) {
  const r = await db().query(
    "SELECT payload->'data' AS data FROM outbox WHERE payload->>'type' = 'vn.gov.hopthu.request.item.approved.v1' AND payload->>'subject' = $1",
    [itemId],
  );
  return r.rows[0]?.data as Record<string, unknown> | undefined;
}

const problemFields = (body: unknown) =>
  ((body as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field);

describe('exceptionReason (Đắk Nông Điều 5)', () => {
  it('when a Đắk Nông agency asks for a second mailbox with a reason, then the approved event carries the reason', async () => {
    const dakNong = await agencyWithClient('dak-nong');
    const reason = 'Kiêm nhiệm văn thư của Ban Tiếp công dân';
    const res = await submit(
      dakNong.token,
      requestBody(dakNong.agencyId, [
        { operation: 'create', mailboxType: 'personal', person: person(), exceptionReason: reason },
      ]),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const item = (res.body.items as { id: string; status: string }[])[0]!;
    if (item.status === 'pending_approval') {
      const approved = await adminFetch(
        baseUrl,
        'POST',
        `/admin/requests/${res.body.id}/items/${item.id}/approve`,
        {
          operator: 'canbo.thu',
        },
      );
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    }
    expect(await approvedEventData(item.id)).toMatchObject({ exceptionReason: reason });
  });

  it('when another province or another operation carries exceptionReason, then it is refused by field and nothing is written', async () => {
    const bacNinh = await agencyWithClient('bac-ninh');
    const before = Number((await db().query('SELECT count(*) FROM requests')).rows[0].count);
    const elsewhere = await submit(
      bacNinh.token,
      requestBody(bacNinh.agencyId, [
        { operation: 'create', mailboxType: 'personal', person: person(), exceptionReason: 'Kiêm nhiệm' },
        {
          operation: 'create',
          mailboxType: 'agency',
          agencyId: bacNinh.agencyId,
          exceptionReason: 'Kiêm nhiệm',
        },
      ]),
    );
    expect(elsewhere.status).toBe(400);
    expect(problemFields(elsewhere.body)).toEqual(
      expect.arrayContaining(['/items/0/exceptionReason', '/items/1/exceptionReason']),
    );
    expect(JSON.stringify(elsewhere.body)).toContain('Bắc Ninh');
    expect(Number((await db().query('SELECT count(*) FROM requests')).rows[0].count)).toBe(before);
  });
});
