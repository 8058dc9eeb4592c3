// Issue 16, end to end on the real stack: an agency mailbox handed to a new head (Mẫu 02 on the
// agency mailbox, Đắk Nông Điều 13 khoản 2) gets a new password; the filer receives it as a one-time
// credential, the former head's password no longer opens the box, the new one does, and the
// mailbox's history says so (handed_over, then password_reset for the handover).
import { randomUUID } from 'node:crypto';
import {
  adminFetch,
  type AgencyClient,
  createAgencyClient,
  imapLoginWorks,
  readDemoClients,
  readStack,
  serviceUrl,
  waitFor,
} from '@hopthu/shared/testing';
import bcrypt from 'bcryptjs';
import { beforeAll, describe, expect, it } from 'vitest';

const stack = readStack();
const requests = serviceUrl('requests');
const directory = serviceUrl('directory');
const tag = () => randomUUID().replaceAll('-', '').replace(/[0-9]/g, '').slice(0, 8).padEnd(8, 'q');

let agency: AgencyClient;
let parentId: string;

beforeAll(() => {
  const demo = readDemoClients().find((c) => c.abbreviation === 'stttt');
  if (!demo) throw new Error('the demo agency stttt is not seeded');
  agency = createAgencyClient(demo);
  parentId = demo.agencyId;
});

describe('agency mailbox handed to a new head (Đắk Nông Điều 13 khoản 2)', () => {
  it('when the head changes, then the password is reset, the filer gets the new one-time credential and the history says so', async () => {
    const abbreviation = `bg${tag()}`;
    const formerPassword = `Bg-${randomUUID().slice(0, 10)}9`;
    const made = await adminFetch(directory, 'POST', '/admin/agencies', {
      province: 'bac-ninh',
      name: `Tổ Bàn giao ${abbreviation}`,
      abbreviation,
      unitType: 'subunit',
      parentId,
      officialMailboxPasswordHash: `{BLF-CRYPT}${await bcrypt.hash(formerPassword, 5)}`,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const address = String(made.body.officialMailbox);
    const mailboxId = String(made.body.officialMailboxId);
    await waitFor(() => imapLoginWorks(address, formerPassword, stack.imap), {
      timeoutMs: 60_000,
      what: `${address} ready`,
    });

    const body = {
      requester: { fullName: 'Trần Văn Kiểm' },
      reference: { number: `${tag()}/BG`, date: '2026-12-01' },
      items: [
        {
          operation: 'update',
          mailboxType: 'agency',
          address,
          changes: {
            head: { familyName: 'Nguyễn', middleName: 'Văn', givenName: 'Mới', position: 'Tổ trưởng' },
          },
          reason: 'Quyết định bổ nhiệm Tổ trưởng mới',
        },
      ],
    };
    const filed = await waitFor(
      async () => {
        const answer = await agency.submit(body);
        return answer.status === 403 ? undefined : answer;
      },
      { timeoutMs: 60_000, what: 'the unit known to the requests service' },
    );
    expect(filed.status, JSON.stringify(filed.body)).toBe(202);
    const item = filed.body.items[0]!;
    if (item.status === 'pending_approval') {
      const approved = await adminFetch(
        requests,
        'POST',
        `/admin/requests/${filed.body.id}/items/${item.id}/approve`,
        { operator: 'op.bangiao' },
      );
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    }
    const view = await agency.waitFinished(filed.body.id);
    expect(view, JSON.stringify(view)).toMatchObject({ status: 'completed' });
    const done = view.items[0]!;
    expect(done.credentialUrl).toBeTruthy();
    const credential = await agency.openCredential(done.credentialUrl!);
    if (!('password' in credential)) throw new Error(`credential answered ${credential.status}`);
    expect(credential.address).toBe(address);

    await waitFor(() => imapLoginWorks(address, credential.password, stack.imap), {
      timeoutMs: 60_000,
      what: 'the new password opens the agency mailbox',
    });
    expect(await imapLoginWorks(address, formerPassword, stack.imap)).toBe(false);

    const history = await adminFetch<{
      items: { change: string; itemId: string | null; details: unknown }[];
    }>(directory, 'GET', `/admin/mailboxes/${mailboxId}/history`);
    const mine = history.body.items.filter((h) => h.itemId === item.id);
    expect(mine.find((h) => h.change === 'handed_over')?.details).toMatchObject({
      head: { familyName: 'Nguyễn', givenName: 'Mới' },
      passwordReset: true,
    });
    expect(mine.find((h) => h.change === 'password_reset')?.details).toMatchObject({
      handover: true,
      article: 'Đắk Nông Điều 13 khoản 2',
    });
  });
});
