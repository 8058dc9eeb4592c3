// Issue 3's slice, end to end on the real stack, as an agency's system and a person would do it:
// token (private_key_jwt) → POST /v1/requests → approval → directory address → provisioner →
// one-time credential → IMAP login and SMTP delivery → result mail in the agency's mailbox.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { computeDeadline } from '@hopthu/calendar';
import {
  clientAssertion,
  type DemoClient,
  readDemoClients,
  readStack,
  repoRoot,
  requestToken,
  waitFor,
} from '@hopthu/shared/testing';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';

const IMAP = {
  host: '127.0.0.1',
  port: 1143,
  secure: false,
  logger: false as const,
  tls: { rejectUnauthorized: false },
};

async function getToken(client: DemoClient): Promise<string> {
  // a private_key_jwt assertion (RFC 7523): iss = sub = client id, aud = the token URL, ES256
  // (client_credentials grant, client_assertion_type jwt-bearer: see docs/api.md for the raw form)
  const res = await requestToken(client.tokenUrl, await clientAssertion(client));
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function submitCreate(client: DemoClient, token: string, reference: string, department = 'Phòng CNTT') {
  const res = await fetch(`${client.apiUrl}/requests`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify({
      agencyId: client.agencyId,
      requester: { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng', phone: '0222 3822 000' },
      reference: { number: reference, date: '2026-11-20' },
      items: [
        {
          operation: 'create',
          mailboxType: 'personal',
          person: {
            familyName: 'Trần',
            middleName: 'Văn',
            givenName: 'Anh',
            position: 'Chuyên viên',
            department,
          },
        },
      ],
    }),
  });
  expect(res.status).toBe(202);
  const body = (await res.json()) as {
    id: string;
    status: string;
    dueAt: string;
    dueConfirmed: boolean;
    items: { id: string }[];
  };
  expect(res.headers.get('location')).toBe(`/v1/requests/${body.id}`);
  expect(body.dueAt).toMatch(/\+07:00$/);
  // 2 working days (Bắc Ninh 4.2b), confirmed only while the years it crosses have a loaded notice
  const expected = computeDeadline(new Date(), 2);
  expect(body.dueAt).toBe(expected.dueAtIso);
  expect(body.dueConfirmed).toBe(expected.confirmed);
  return body;
}

interface ReadItem {
  status: string;
  address?: string;
  credentialUrl?: string;
}

async function waitCompleted(client: DemoClient, token: string, id: string): Promise<ReadItem> {
  return waitFor(
    async () => {
      const res = await fetch(`${client.apiUrl}/requests/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { status: string; items: ReadItem[] };
      // Any end state stops the wait, so a failure shows its reason instead of a time-out.
      if (['completed', 'failed', 'rejected', 'partially_completed'].includes(body.status)) {
        expect(body).toMatchObject({ status: 'completed' });
        return body.items[0];
      }
      return undefined;
    },
    { timeoutMs: 60_000, what: `request ${id} completed` },
  );
}

/** The first `count` addresses of Bắc Ninh's numbered series `<name>[n].<agency>` nobody holds yet. */
async function nextFreeAddresses(
  display: string,
  name: string,
  agency: string,
  count: number,
): Promise<string[]> {
  const res = await fetch(
    `${readStack().services.directory}/v1/directory/search?q=${encodeURIComponent(display)}&agency=${agency}&limit=200`,
  );
  const taken = new Set(((await res.json()) as { items: { address: string }[] }).items.map((i) => i.address));
  const free: string[] = [];
  for (let n = 0; free.length < count; n++) {
    const address = `${name}${n === 0 ? '' : n}.${agency}@bacninh.gov.vn`;
    if (!taken.has(address)) free.push(address);
  }
  return free;
}

describe('one request end to end (issue 3)', () => {
  it('when stttt asks for a mailbox for Trần Văn Anh, then the person logs in, receives mail and the agency gets the result', async () => {
    const stttt = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
    const official = (
      JSON.parse(readFileSync(path.join(repoRoot, 'var/demo/mailboxes.json'), 'utf8')) as {
        abbreviation: string;
        address: string;
        password: string;
      }[]
    ).find((m) => m.abbreviation === 'stttt')!;
    const reference = `${Math.floor(Math.random() * 9000) + 1000}/STTTT-VP`;

    // On a fresh stack the first Trần Văn Anh gets tvanh.stttt and the second tvanh1.stttt; on a
    // stack this test already ran on, the next free numbers (Bắc Ninh 4.1: 1, 2, 3…).
    const [expectedFirst, expectedSecond] = await nextFreeAddresses('tran van anh', 'tvanh', 'stttt', 2);
    const run = randomUUID().slice(0, 8);

    const token = await getToken(stttt); // 1
    const first = await submitCreate(stttt, token, reference, `Phòng CNTT ${run}`); // 2–3
    const item = await waitCompleted(stttt, token, first.id); // 4–6
    expect(item.address).toBe(expectedFirst);
    expect(item.credentialUrl).toBeTruthy();

    const opened = await fetch(item.credentialUrl!, { headers: { authorization: `Bearer ${token}` } });
    expect(opened.status).toBe(200);
    const { password, address } = (await opened.json()) as { address: string; password: string };
    expect(address).toBe(item.address);
    const again = await fetch(item.credentialUrl!, { headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(410);

    // 7: the person logs in over IMAP, and mail sent over SMTP arrives in the INBOX.
    const subject = `Chào mừng ${randomUUID()}`;
    await nodemailer
      .createTransport({ host: '127.0.0.1', port: 2525, secure: false, ignoreTLS: true })
      .sendMail({ from: 'van.thu@bacninh.gov.vn', to: address, subject, text: 'Xin chào' });
    const imap = new ImapFlow({ ...IMAP, auth: { user: address, pass: password } });
    await imap.connect();
    try {
      await waitFor(
        async () => {
          const lock = await imap.getMailboxLock('INBOX');
          try {
            const found = await imap.search({ subject });
            return Array.isArray(found) && found.length > 0;
          } finally {
            lock.release();
          }
        },
        { timeoutMs: 30_000, what: 'mail in INBOX' },
      );
    } finally {
      await imap.logout();
    }

    // A second Trần Văn Anh at the same agency gets the numbered form.
    // (another person of the same name, in another department: not the holder of the first mailbox)
    const second = await submitCreate(stttt, token, `${reference}-2`, `Phòng Bưu chính ${run}`);
    expect((await waitCompleted(stttt, token, second.id)).address).toBe(expectedSecond);

    // 8: the notifier mails the result, in Vietnamese, to the agency's official mailbox.
    const agencyImap = new ImapFlow({ ...IMAP, auth: { user: official.address, pass: official.password } });
    await agencyImap.connect();
    try {
      const text = await waitFor(
        async () => {
          const lock = await agencyImap.getMailboxLock('INBOX');
          try {
            const found = await agencyImap.search({ subject: reference });
            if (!Array.isArray(found) || found.length === 0) return undefined;
            const msg = await agencyImap.fetchOne(String(found[0]), { source: true, envelope: true });
            return msg
              ? { subject: msg.envelope?.subject ?? '', source: msg.source?.toString('utf8') ?? '' }
              : undefined;
          } finally {
            lock.release();
          }
        },
        { timeoutMs: 60_000, what: 'result mail in the agency mailbox' },
      );
      expect(text.subject).toContain('Kết quả xử lý yêu cầu');
      expect(text.source).not.toContain(password);
    } finally {
      await agencyImap.logout();
    }
  });
});
