// What the notifier's deadline clock starts from: request.submitted carries the deadline and
// whether the calendar behind it is confirmed by a loaded holiday notice (the SLA board shows it).
import { computeDeadline } from '@hopthu/calendar';
import { describe, expect, it } from 'vitest';
import {
  accessToken,
  db,
  person,
  registerClient,
  replicaOnlyAgency,
  requestBody,
  submit,
  useRequests,
} from './security-helpers.ts';

useRequests();

describe('request.submitted', () => {
  it('when a request is accepted, then its submitted event carries dueAt and dueConfirmed as the answer gives them', async () => {
    const agencyId = await replicaOnlyAgency(undefined, 'bac-ninh');
    const token = await accessToken(await registerClient(agencyId));
    const before = new Date();
    const res = await submit(
      token,
      requestBody(agencyId, [{ operation: 'create', mailboxType: 'personal', person: person() }]),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const r = await db().query(
      "SELECT payload->'data' AS data FROM outbox WHERE payload->>'type' = 'vn.gov.hopthu.request.submitted.v1' AND payload->>'subject' = $1",
      [res.body.id],
    );
    const data = r.rows[0]?.data as { dueAt: string; dueConfirmed?: boolean };
    expect(new Date(data.dueAt).getTime()).toBe(new Date(res.body.dueAt as string).getTime());
    expect(data.dueConfirmed).toBe(res.body.dueConfirmed);
    expect(data.dueConfirmed).toBe(computeDeadline(before, 2).confirmed);
  });
});
