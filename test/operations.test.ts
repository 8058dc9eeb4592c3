// Issue 6, end to end on the real stack: every operation on a personal mailbox as the demo agency's
// system asks for it (the mail server shows each effect); updates: job, transfer, conversion of an
// address to the current rule, and a unit renamed by an operator; and the operators' side of approval:
// an agency mailbox delete and a bulk delete waiting for two different operators, and a rejected
// item whose reason reaches the agency (its request, and the result mail in its mailbox).
import { randomUUID } from 'node:crypto';
import {
  type AgencyClient,
  countInInbox,
  createAgencyClient,
  imapLoginWorks,
  readDemoClients,
  readStack,
  testAdminToken,
  waitFor,
} from '@hopthu/shared/testing';
import bcrypt from 'bcryptjs';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { localSecret } from '@hopthu/shared/local-env';

const stack = readStack();
const REQUESTS = stack.services.requests ?? 'http://127.0.0.1:3001';
const DIRECTORY = stack.services.directory ?? 'http://127.0.0.1:3002';
const ADMIN_TOKEN = testAdminToken;
const VMAIL_URL = localSecret('VMAIL_DATABASE_URL');
const IMAP = { host: stack.imap.host, port: stack.imap.port, secure: false, logger: false as const };

const letters = (n: number) =>
  Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');
const reference = (tag: string) => `${Math.floor(Math.random() * 90000) + 10000}/${tag}-VP`;
const requester = { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng', phone: '0222 3822 000' };

async function admin(base: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { items?: unknown[] } };
}

const approve = (requestId: string, itemId: string, operator: string) =>
  admin(REQUESTS, 'POST', `/admin/requests/${requestId}/items/${itemId}/approve`, { operator });
const reject = (requestId: string, itemId: string, operator: string, reason: string) =>
  admin(REQUESTS, 'POST', `/admin/requests/${requestId}/items/${itemId}/reject`, { operator, reason });

async function inVmail(address: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: VMAIL_URL });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM mailbox WHERE username = $1', [address])).rowCount === 1;
  } finally {
    await client.end();
  }
}

/** Submits and expects 202; retries while the directory replica has not yet seen a new mailbox. */
async function submit(agency: AgencyClient, body: Record<string, unknown>) {
  return waitFor(
    async () => {
      const answer = await agency.submit({ requester, ...body });
      if (answer.status === 202) return answer.body;
      if (answer.status !== 403)
        throw new Error(`submit answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return undefined;
    },
    { timeoutMs: 30_000, what: 'request accepted' },
  );
}

async function completed(agency: AgencyClient, id: string) {
  const view = await agency.waitFinished(id);
  expect(view, JSON.stringify(view)).toMatchObject({ status: 'completed' });
  return view;
}

async function credentialOf(agency: AgencyClient, url: string | undefined) {
  expect(url).toBeTruthy();
  const opened = await agency.openCredential(url!);
  if (!('password' in opened)) throw new Error(`credential link answered ${opened.status}`);
  expect(await agency.openCredential(url!)).toEqual({ status: 410 });
  return opened;
}

const inboxHas = async (address: string, password: string, subject: string) =>
  (await countInInbox(address, password, subject, stack.imap)) > 0;

/** A new person at the agency, with a name no earlier run used. */
const newPerson = () => ({
  familyName: 'Lê',
  middleName: 'Thị',
  givenName: `Kt${letters(8)}`,
  position: 'Chuyên viên',
  department: 'Phòng Kiểm thử',
});

/** A new sub-unit of the acting agency; its agency mailbox, created at registration, has a known password. */
async function registerSubUnit(parentId: string, options: { mailboxName?: string } = {}) {
  const abbreviation = `kt${letters(8)}`;
  const password = `Kt${randomUUID().slice(0, 12)}7#`;
  const res = await admin(DIRECTORY, 'POST', '/admin/agencies', {
    province: 'bac-ninh',
    name: `Phòng Kiểm thử ${abbreviation}`,
    abbreviation,
    unitType: 'subunit',
    parentId,
    officialMailboxPasswordHash: `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`,
    ...options,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const address = res.body.officialMailbox as string;
  await waitFor(() => imapLoginWorks(address, password, stack.imap), {
    timeoutMs: 30_000,
    what: `${address} ready in the mail server`,
  });
  return { agencyId: res.body.agencyId as string, abbreviation, address, password };
}

/** Sends a mail with a unique subject to `to` and returns the subject. */
async function mailTo(to: string, what: string) {
  const subject = `${what} ${randomUUID()}`;
  const smtp = nodemailer.createTransport({ ...stack.smtp, secure: false, ignoreTLS: true });
  await smtp.sendMail({ from: 'van.thu@bacninh.gov.vn', to, subject, text: what });
  smtp.close();
  return subject;
}

/** The mailbox now answers at `to` with its old password, its mail kept, and mail to `from` reaches it. */
async function expectMoved(from: string, to: string, password: string, keptSubject: string) {
  await waitFor(() => imapLoginWorks(to, password, stack.imap), {
    timeoutMs: 30_000,
    what: `login under ${to}`,
  });
  expect(await inboxHas(to, password, keptSubject)).toBe(true);
  expect(await inVmail(from)).toBe(false);
  const late = await mailTo(from, 'Gửi địa chỉ cũ');
  await waitFor(() => inboxHas(to, password, late), {
    timeoutMs: 30_000,
    what: `mail to ${from} via the alias`,
  });
}

let stttt: AgencyClient;

beforeAll(() => {
  stttt = createAgencyClient(readDemoClients().find((c) => c.abbreviation === 'stttt')!);
});

describe('every operation on a personal mailbox, approved by the demo policy on receipt', () => {
  it('when stttt creates, suspends, restores, resets the password of and deletes a mailbox, then the mail server shows each effect', async () => {
    // create
    const created = await submit(stttt, {
      reference: { number: reference('STTTT'), date: '2026-11-20' },
      items: [{ operation: 'create', mailboxType: 'personal', person: newPerson() }],
    });
    expect(created.items[0]).toMatchObject({ operation: 'create', status: 'approved' });
    const createdItem = (await completed(stttt, created.id)).items[0]!;
    const { address, password } = await credentialOf(stttt, createdItem.credentialUrl);
    expect(address).toBe(createdItem.address);
    expect(await imapLoginWorks(address, password, stack.imap)).toBe(true);

    const subject = await mailTo(address, 'Trước khi tạm khóa');
    await waitFor(() => inboxHas(address, password, subject), { timeoutMs: 30_000, what: 'mail delivered' });

    const one = async (item: Record<string, unknown>) => {
      const answer = await submit(stttt, {
        reference: { number: reference('STTTT'), date: '2026-11-21' },
        items: [{ mailboxType: 'personal', address, ...item }],
      });
      expect(answer.items[0]!.status).toBe('approved');
      return (await completed(stttt, answer.id)).items[0]!;
    };

    // suspend: the login is refused; the finished item still shows the reason the request gave
    const suspended = await one({ operation: 'suspend', reason: 'Nghỉ việc tạm thời' });
    expect(suspended).toMatchObject({ status: 'completed', reason: 'Nghỉ việc tạm thời' });
    await waitFor(async () => !(await imapLoginWorks(address, password, stack.imap)), {
      timeoutMs: 15_000,
      what: 'login refused after suspend',
    });

    // restore: the login works again and the mail is still there
    await one({ operation: 'restore' });
    await waitFor(() => imapLoginWorks(address, password, stack.imap), {
      timeoutMs: 15_000,
      what: 'login accepted after restore',
    });
    expect(await inboxHas(address, password, subject)).toBe(true);

    // reset_password: the new password (fetched once) works, the old one no longer
    const reset = await one({ operation: 'reset_password' });
    const fresh = await credentialOf(stttt, reset.credentialUrl);
    expect(fresh.address).toBe(address);
    expect(fresh.password).not.toBe(password);
    await waitFor(async () => !(await imapLoginWorks(address, password, stack.imap)), {
      timeoutMs: 15_000,
      what: 'old password refused',
    });
    expect(await imapLoginWorks(address, fresh.password, stack.imap)).toBe(true);
    expect(await inboxHas(address, fresh.password, subject)).toBe(true);

    // delete: the login is refused and the mailbox is gone from vmail
    await one({ operation: 'delete', reason: 'Nghỉ hưu' });
    expect(await inVmail(address)).toBe(false);
    await waitFor(async () => !(await imapLoginWorks(address, fresh.password, stack.imap)), {
      timeoutMs: 15_000,
      what: 'login refused after delete',
    });
  });
});

describe('update: position, department and a transfer to a sub-unit', () => {
  it('when stttt changes a person’s job and then moves the person to its sub-unit, then the directory shows it and the mailbox keeps its mail under the new address', async () => {
    const ttcntttt = readDemoClients().find((c) => c.abbreviation === 'ttcntttt')!;
    const created = await submit(stttt, {
      reference: { number: reference('STTTT'), date: '2026-11-20' },
      items: [{ operation: 'create', mailboxType: 'personal', person: newPerson() }],
    });
    const createdItem = (await completed(stttt, created.id)).items[0]!;
    const { address, password } = await credentialOf(stttt, createdItem.credentialUrl);
    const subject = await mailTo(address, 'Trước khi chuyển công tác');
    await waitFor(() => inboxHas(address, password, subject), { timeoutMs: 30_000, what: 'mail delivered' });

    const update = async (changes: Record<string, string>) => {
      const answer = await submit(stttt, {
        reference: { number: reference('STTTT'), date: '2026-11-21' },
        items: [{ operation: 'update', mailboxType: 'personal', address, changes }],
      });
      expect(answer.items[0]!.status).toBe('approved');
      return (await completed(stttt, answer.id)).items[0]!;
    };
    const lookUp = async (at: string) => {
      const res = await fetch(`${DIRECTORY}/v1/directory/search?address=${encodeURIComponent(at)}`);
      return ((await res.json()) as { items: Record<string, unknown>[] }).items[0];
    };

    await update({ position: 'Phó Trưởng phòng', department: 'Phòng Bưu chính' });
    await waitFor(
      async () => (await lookUp(address))?.position === 'Phó Trưởng phòng' && (await lookUp(address)),
      { timeoutMs: 15_000, what: 'new position in the directory' },
    ).then((entry) =>
      expect(entry).toMatchObject({ department: 'Phòng Bưu chính', agencyId: stttt.client.agencyId }),
    );

    await update({ agencyId: ttcntttt.agencyId });
    const moved = await waitFor(
      async () => {
        const res = await fetch(
          `${DIRECTORY}/v1/directory/search?agency=${encodeURIComponent(ttcntttt.agencyId)}&limit=500`,
        );
        const { items } = (await res.json()) as { items: { address: string; displayName: string }[] };
        const local = address.split('.')[0]!;
        return items.find((e) => e.address.startsWith(`${local}.`) && e.address !== address);
      },
      { timeoutMs: 30_000, what: 'the moved entry under the sub-unit' },
    );
    expect(moved.address).toBe(
      `${address.split('@')[0]!.replace(/\.stttt$/, '')}.ttcntttt.stttt@bacninh.gov.vn`,
    );
    await expectMoved(address, moved.address, password, subject);
  });
});

describe('operators approve what the policy holds back', () => {
  it('when stttt deletes a sub-unit’s agency mailbox, then it waits for two different operators and is deleted after the second', async () => {
    const unit = await registerSubUnit(stttt.client.agencyId);
    const asked = await submit(stttt, {
      reference: { number: reference('STTTT'), date: '2026-11-22' },
      items: [
        { operation: 'delete', mailboxType: 'agency', address: unit.address, reason: 'Giải thể đơn vị' },
      ],
    });
    expect(asked).toMatchObject({ status: 'pending_approval', items: [{ status: 'pending_approval' }] });
    const itemId = asked.items[0]!.id;

    const queue = await admin(REQUESTS, 'GET', `/admin/approvals?requestId=${asked.id}`);
    expect(queue.status).toBe(200);
    expect(queue.body.items).toContainEqual(
      expect.objectContaining({
        requestId: asked.id,
        itemId,
        operation: 'delete',
        mailboxType: 'agency',
        address: unit.address,
        approvals: [],
        approvalsNeeded: 2,
      }),
    );

    const first = await approve(asked.id, itemId, 'op.an');
    expect(first).toMatchObject({ status: 200, body: { status: 'pending_approval', approvals: ['op.an'] } });
    const again = await approve(asked.id, itemId, 'op.an');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'conflict' });
    expect(String((again.body.message as { en: string }).en)).toContain('different operator');
    // Still waiting, still in the mail server.
    expect((await stttt.get(asked.id)).items[0]!.status).toBe('pending_approval');
    expect(await inVmail(unit.address)).toBe(true);

    const second = await approve(asked.id, itemId, 'op.binh');
    expect(second).toMatchObject({
      status: 200,
      body: { status: 'approved', approvals: ['op.an', 'op.binh'] },
    });
    expect((await approve(asked.id, itemId, 'op.chi')).status).toBe(409);
    await completed(stttt, asked.id);
    expect(await inVmail(unit.address)).toBe(false);

    const history = await admin(REQUESTS, 'GET', `/admin/requests/${asked.id}`);
    const item = (history.body.items as { transitions: Record<string, unknown>[] }[])[0]!;
    expect(item.transitions.map((t) => [t.from, t.to, t.actor])).toEqual([
      [null, 'pending_approval', `client:${stttt.client.clientId}`],
      ['pending_approval', 'pending_approval', 'operator:op.an'],
      ['pending_approval', 'approved', 'operator:op.binh'],
      ['approved', 'completed', 'system:provisioning'],
    ]);
    // The agency reads the same history on its request.
    const own = (await stttt.get(asked.id)).items[0]!.history as { to: string; actor: string }[];
    expect(own.map((t) => t.to)).toEqual(['pending_approval', 'pending_approval', 'approved', 'completed']);
  });

  it('when one request deletes more mailboxes than the threshold, then each delete needs two operators', async () => {
    const count = 11; // bac-ninh's threshold is 10
    const created = await submit(stttt, {
      reference: { number: reference('STTTT'), date: '2026-11-22' },
      items: Array.from({ length: count }, () => ({
        operation: 'create',
        mailboxType: 'personal',
        person: newPerson(),
      })),
    });
    const addresses = (await completed(stttt, created.id)).items.map((i) => i.address!);
    const asked = await submit(stttt, {
      reference: { number: reference('STTTT'), date: '2026-11-22' },
      items: addresses.map((address) => ({ operation: 'delete', mailboxType: 'personal', address })),
    });
    expect(asked.status).toBe('pending_approval');
    expect(asked.items.every((i) => i.status === 'pending_approval')).toBe(true);
    for (const item of asked.items) {
      expect((await approve(asked.id, item.id, 'op.an')).body.status).toBe('pending_approval');
      expect((await approve(asked.id, item.id, 'op.binh')).body.status).toBe('approved');
    }
    await completed(stttt, asked.id);
    for (const address of addresses) expect(await inVmail(address)).toBe(false);
  });

  it('when an operator rejects an item, then the agency reads the reason in its request and in the result mail', async () => {
    // stttt acts for a new sub-unit, whose agency mailbox (known password) receives the result mail.
    const unit = await registerSubUnit(stttt.client.agencyId);
    const ref = reference('STTTT');
    const token = randomUUID().slice(0, 8);
    const reason = `Chưa có quyết định giải thể kèm theo (mã ${token})`;
    const asked = await submit(stttt, {
      agencyId: unit.agencyId,
      reference: { number: ref, date: '2026-11-23' },
      // No mailboxType: the policy judges the mailbox by its real type (agency: an operator decides).
      items: [{ operation: 'suspend', address: unit.address, reason: 'Tạm dừng hoạt động' }],
    });
    expect(asked.items[0]!.status).toBe('pending_approval');

    expect((await reject(asked.id, asked.items[0]!.id, 'op.an', '   ')).status).toBe(400);
    const rejected = await reject(asked.id, asked.items[0]!.id, 'op.an', reason);
    expect(rejected).toMatchObject({ status: 200, body: { status: 'rejected', reason } });
    expect((await approve(asked.id, asked.items[0]!.id, 'op.binh')).status).toBe(409);

    const view = await stttt.waitFinished(asked.id);
    expect(view).toMatchObject({ status: 'rejected', items: [{ status: 'rejected', reason }] });
    expect(await inVmail(unit.address)).toBe(true);

    // The notifier mails the result, with the reason, to the acting unit's agency mailbox.
    const imap = new ImapFlow({ ...IMAP, auth: { user: unit.address, pass: unit.password } });
    imap.on('error', () => {});
    await imap.connect();
    try {
      const text = await waitFor(
        async () => {
          const lock = await imap.getMailboxLock('INBOX');
          try {
            const found = await imap.search({ subject: ref });
            if (!Array.isArray(found) || found.length === 0) return undefined;
            const { content } = await imap.download(String(found[0]), '1');
            const chunks: Buffer[] = [];
            for await (const chunk of content ?? []) chunks.push(chunk as Buffer);
            return Buffer.concat(chunks).toString('utf8');
          } finally {
            lock.release();
          }
        },
        { timeoutMs: 60_000, what: 'result mail in the agency mailbox' },
      );
      expect(text).toContain('bị từ chối');
      expect(text).toContain(reason);
    } finally {
      await imap.logout().catch(() => {});
    }
  });
});

describe('update: conversion to the current rule, and an agency renamed', () => {
  it('when stttt asks to convert a unit mailbox named outside the rule, then after an operator approves it answers at the rule’s address with its mail kept', async () => {
    const unit = await registerSubUnit(stttt.client.agencyId, { mailboxName: `vp${letters(8)}` });
    const ruleAddress = `${unit.abbreviation}.stttt@bacninh.gov.vn`;
    expect(unit.address).not.toBe(ruleAddress);
    const kept = await mailTo(unit.address, 'Trước khi chuyển đổi');
    await waitFor(() => inboxHas(unit.address, unit.password, kept), {
      timeoutMs: 30_000,
      what: 'mail delivered',
    });

    const asked = await submit(stttt, {
      reference: { number: reference('STTTT'), date: '2026-11-24' },
      items: [{ operation: 'update', address: unit.address, changes: { convertAddress: true } }],
    });
    // Bắc Ninh: work on an agency mailbox other than its creation waits for one operator.
    expect(asked.items[0]!.status).toBe('pending_approval');
    expect((await approve(asked.id, asked.items[0]!.id, 'op.an')).body.status).toBe('approved');
    await completed(stttt, asked.id);
    await expectMoved(unit.address, ruleAddress, unit.password, kept);
  });

  it('when an operator renames a unit (the directory’s agency route), then its mailbox and its people’s move to the new name, and the agency works on the new addresses', async () => {
    const unit = await registerSubUnit(stttt.client.agencyId);
    const created = await submit(stttt, {
      agencyId: unit.agencyId,
      reference: { number: reference('STTTT'), date: '2026-11-24' },
      items: [{ operation: 'create', mailboxType: 'personal', person: newPerson() }],
    });
    const person = await credentialOf(stttt, (await completed(stttt, created.id)).items[0]!.credentialUrl);
    expect(person.address.endsWith(`.${unit.abbreviation}.stttt@bacninh.gov.vn`)).toBe(true);
    const kept = await mailTo(person.address, 'Trước khi đổi tên đơn vị');
    await waitFor(() => inboxHas(person.address, person.password, kept), {
      timeoutMs: 30_000,
      what: 'mail delivered',
    });

    const renamed = `kt${letters(8)}`;
    const res = await admin(DIRECTORY, 'PATCH', `/admin/agencies/${unit.agencyId}`, {
      name: `Phòng Kiểm thử ${renamed}`,
      abbreviation: renamed,
      reason: 'Quyết định đổi tên số 12/QĐ-UBND',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const unitAddress = `${renamed}.stttt@bacninh.gov.vn`;
    const personAddress = person.address.replace(`.${unit.abbreviation}.`, `.${renamed}.`);
    expect(res.body.changed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: unit.address, to: unitAddress }),
        expect.objectContaining({ from: person.address, to: personAddress }),
      ]),
    );
    await expectMoved(person.address, personAddress, person.password, kept);
    await waitFor(() => imapLoginWorks(unitAddress, unit.password, stack.imap), {
      timeoutMs: 30_000,
      what: `login under ${unitAddress}`,
    });

    // The agency's system goes on with the new address (the requests service's replica follows).
    const job = await submit(stttt, {
      reference: { number: reference('STTTT'), date: '2026-11-25' },
      items: [{ operation: 'update', address: personAddress, changes: { position: 'Phó Trưởng phòng' } }],
    });
    expect((await completed(stttt, job.id)).items[0]).toMatchObject({
      status: 'completed',
      address: personAddress,
    });
  });
});
