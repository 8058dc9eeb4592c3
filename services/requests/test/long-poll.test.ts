// GET /v1/requests/{id}?wait=N (issue 15): the agency learns that its request has finished from one
// call instead of polling; a request that does not finish in time is answered as it stands.
import { randomUUID } from 'node:crypto';
import { createAgencyClient, FINISHED_REQUEST_STATES, readDemoClients } from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';

function uniqueGivenName(): string {
  const letters = 'bcdghklmnpqrstvx';
  let s = '';
  for (const c of randomUUID().replaceAll('-', '').slice(0, 8)) s += letters[Number.parseInt(c, 16)];
  return `Long${s}`;
}

describe('long-poll of a request (issue 15)', () => {
  const agency = createAgencyClient(readDemoClients().find((c) => c.abbreviation === 'stttt')!);

  it('when the agency reads its new request with wait=30, then the one answer is the finished request with its address and credential link', async () => {
    const answer = await agency.submit({
      requester: { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng' },
      reference: { number: `${Math.floor(Math.random() * 90000) + 10000}/LP`, date: '2026-11-20' },
      items: [
        {
          operation: 'create',
          mailboxType: 'personal',
          person: {
            familyName: 'Vũ',
            middleName: 'Thị',
            givenName: uniqueGivenName(),
            position: 'Chuyên viên',
          },
        },
      ],
    });
    expect(answer.status).toBe(202);
    expect(FINISHED_REQUEST_STATES).not.toContain(answer.body.status);

    // a restart of the service by other work can cut one call: the answer that arrives is judged
    let res = await agency.api(`requests/${answer.body.id}?wait=30`);
    for (let i = 0; i < 3 && res.status === 200; i++) {
      const view = (await res.clone().json()) as { status: string };
      if (FINISHED_REQUEST_STATES.includes(view.status)) break;
      res = await agency.api(`requests/${answer.body.id}?wait=30`);
    }
    expect(res.status).toBe(200);
    const view = (await res.json()) as {
      status: string;
      items: { address?: string; credentialUrl?: string }[];
    };
    expect(view.status).toBe('completed');
    expect(view.items[0]!.address).toMatch(/@bacninh\.gov\.vn$/);
    expect(view.items[0]!.credentialUrl).toBeTruthy();
  }, 120_000);

  it('when wait is longer than 30 seconds, then it is refused as invalid', async () => {
    const res = await agency.api(`requests/${randomUUID()}?wait=31`);
    expect(res.status).toBe(400);
  });
});
