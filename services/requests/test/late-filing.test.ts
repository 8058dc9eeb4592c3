// The 10-day filing duty (Thanh Hóa Điều 15 khoản 3, Khánh Hòa Điều 14 khoản 4) over the agency API:
// a request names the decision it rests on (reference.decision, the form's "Căn cứ"); filed more
// than 10 days after the decision took effect it is accepted, flagged lateFiling in its answer and
// its view, and counted in the operators' summary (GET /admin/summary/requests: lateFilings).
import { toLocalDate } from '@hopthu/calendar';
import { adminFetch } from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';
import {
  accessToken,
  baseUrl,
  call,
  person,
  registerClient,
  replicaOnlyAgency,
  requestBody,
  submit,
  useRequests,
} from './security-helpers.ts';

useRequests();

const daysAgo = (n: number) => toLocalDate(new Date(Date.now() - n * 24 * 3600 * 1000));

async function agencyWithClient(province: string) {
  const agencyId = await replicaOnlyAgency(undefined, province);
  return { agencyId, token: await accessToken(await registerClient(agencyId)) };
}

function filed(agencyId: string, effectiveDate: string) {
  const body = requestBody(agencyId, [{ operation: 'create', mailboxType: 'personal', person: person() }]);
  return {
    ...body,
    reference: { ...body.reference, decision: { number: '45/QĐ-UBND', effectiveDate } },
  };
}

describe('filing within 10 days of the decision (Thanh Hóa Điều 15 khoản 3)', () => {
  it('when a Thanh Hóa agency files 15 days after the decision, then it is accepted, flagged with the article in the answer and the view, and counted in the summary', async () => {
    const thanhHoa = await agencyWithClient('thanh-hoa');
    const summaryBefore = await adminFetch(baseUrl, 'GET', '/admin/summary/requests?province=thanh-hoa');
    expect(summaryBefore.status).toBe(200);

    const late = await submit(thanhHoa.token, filed(thanhHoa.agencyId, daysAgo(15)));
    expect(late.status, JSON.stringify(late.body)).toBe(202);
    expect(late.body.lateFiling).toEqual({
      daysAfterDecision: 15,
      limitDays: 10,
      dayKind: 'calendar',
      article: 'Điều 15 khoản 3',
    });
    const view = await call('GET', `/v1/requests/${late.body.id}`, { token: thanhHoa.token });
    expect(view.body.lateFiling).toMatchObject({ daysAfterDecision: 15, article: 'Điều 15 khoản 3' });

    const inTime = await submit(thanhHoa.token, filed(thanhHoa.agencyId, daysAgo(3)));
    expect(inTime.status, JSON.stringify(inTime.body)).toBe(202);
    expect(inTime.body.lateFiling).toBeUndefined();

    const summary = await adminFetch<{
      lateFilings: number;
      requests: { id: string; lateFilingDays: number | null }[];
    }>(baseUrl, 'GET', '/admin/summary/requests?province=thanh-hoa');
    expect(summary.body.lateFilings).toBe((summaryBefore.body.lateFilings as number) + 1);
    expect(summary.body.requests.find((r) => r.id === late.body.id)?.lateFilingDays).toBe(15);
    expect(summary.body.requests.find((r) => r.id === inTime.body.id)?.lateFilingDays).toBeNull();
  });

  it('when a Bắc Ninh agency files a year after its decision, then nothing is flagged (its regulation sets no deadline)', async () => {
    const bacNinh = await agencyWithClient('bac-ninh');
    const res = await submit(bacNinh.token, filed(bacNinh.agencyId, daysAgo(365)));
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.lateFiling).toBeUndefined();
  });

  it('when the decision date is not a date, then 400 names the field and nothing is stored', async () => {
    const thanhHoa = await agencyWithClient('thanh-hoa');
    const res = await submit(thanhHoa.token, filed(thanhHoa.agencyId, '15/11/2026'));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.errors)).toContain('/reference/decision/effectiveDate');
  });
});
