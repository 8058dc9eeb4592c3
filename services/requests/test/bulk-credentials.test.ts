// POST /v1/requests/{id}/credentials (issue 15): a bulk request's passwords in one call, each
// handed out once, whichever way it is fetched.
import { randomUUID } from 'node:crypto';
import {
  createAgencyClient,
  FINISHED_REQUEST_STATES,
  imapLoginWorks,
  readDemoClients,
  type RequestView,
} from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';

function uniqueGivenName(): string {
  const letters = 'bcdghklmnpqrstvx';
  let s = '';
  for (const c of randomUUID().replaceAll('-', '').slice(0, 8)) s += letters[Number.parseInt(c, 16)];
  return `Bulk${s}`;
}

describe('bulk credentials of a request (issue 15)', () => {
  const agency = createAgencyClient(readDemoClients().find((c) => c.abbreviation === 'stttt')!);

  it('when a finished request’s credentials are fetched at once, then every created mailbox’s password comes once and logs in', async () => {
    const answer = await agency.submit({
      requester: { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng' },
      reference: { number: `${Math.floor(Math.random() * 90000) + 10000}/BULK`, date: '2026-11-20' },
      items: Array.from({ length: 3 }, () => ({
        operation: 'create',
        mailboxType: 'personal',
        person: {
          familyName: 'Hà',
          middleName: 'Văn',
          givenName: uniqueGivenName(),
          position: 'Chuyên viên',
        },
      })),
    });
    expect(answer.status).toBe(202);
    let view: RequestView = answer.body;
    for (let i = 0; i < 6 && !FINISHED_REQUEST_STATES.includes(view.status); i++) {
      const res = await agency.api(`requests/${answer.body.id}?wait=30`);
      if (res.status === 200) view = (await res.json()) as RequestView;
    }
    expect(view.status).toBe('completed');

    const first = await agency.api(`requests/${answer.body.id}/credentials`, { method: 'POST' });
    expect(first.status).toBe(200);
    const { credentials } = (await first.json()) as {
      credentials: { itemId: string; address: string; password: string }[];
    };
    expect(credentials.map((c) => c.itemId).sort()).toEqual(view.items.map((i) => i.id).sort());
    expect(credentials.map((c) => c.address).sort()).toEqual(view.items.map((i) => i.address).sort());
    expect(await imapLoginWorks(credentials[0]!.address, credentials[0]!.password)).toBe(true);

    // handed out once: not again in bulk, nor through an item's own link
    const again = await agency.api(`requests/${answer.body.id}/credentials`, { method: 'POST' });
    expect(((await again.json()) as { credentials: unknown[] }).credentials).toEqual([]);
    expect(await agency.openCredential(view.items[0]!.credentialUrl!)).toEqual({ status: 410 });
  }, 240_000);

  it('when the request is not the agency’s, then it is not found', async () => {
    const res = await agency.api(`requests/${randomUUID()}/credentials`, { method: 'POST' });
    expect(res.status).toBe(404);
  });
});
