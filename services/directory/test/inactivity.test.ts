// Inactivity (regulations §6) on the real stack: the test reports a mailbox's last login as the
// provisioner would (provisioning.activity.v1), 7 months back, and runs the sweep. Bắc Ninh locks
// (the real mail server then refuses the login; a restore request opens it again); Đắk Nông proposes
// a reclaim that an operator approves (the mailbox leaves vmail); Kiên Giang's dismissed proposal
// comes back only after a newer period of disuse, and its approved reclaim locks the mailbox and
// keeps address and mail for a reissue (a restore gives them back) until its retention.
import { randomUUID } from 'node:crypto';
import { localSecret } from '@hopthu/shared/local-env';
import { addCalendarMonths } from '@hopthu/naming';
import { buildEvent, Topics } from '@hopthu/shared/events';
import type { MessageBus } from '@hopthu/shared/kafka';
import {
  type AgencyClient,
  adminFetch,
  createAgencyClient,
  imapLoginWorks,
  messageIdsInInbox,
  readDemoClients,
  readStack,
  serviceUrl,
  testAdminToken,
  waitFor,
} from '@hopthu/shared/testing';
import bcrypt from 'bcryptjs';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  baseUrl,
  commandFor,
  itemApproved,
  mailboxHistory,
  mailboxState,
  publish,
  randomLetters,
  registerTestAgency,
  useDirectory,
} from './helpers.ts';

const t = useDirectory();
const stack = readStack();
const VMAIL_URL = localSecret('VMAIL_DATABASE_URL');
const OPERATOR = 'op.inactivity';

const monthsAgo = (months: number) => addCalendarMonths(new Date(), -months);

/** Reports a last login as the provisioner does, and waits until the directory has recorded it. */
async function reportLogin(bus: MessageBus, mailbox: { mailboxId: string; address: string }, at: Date) {
  const event = buildEvent(
    'vn.gov.hopthu.provisioning.activity.v1',
    { mailboxId: mailbox.mailboxId, address: mailbox.address, lastLoginAt: at.toISOString() },
    { source: 'urn:hopthu:test-provisioner', subject: mailbox.mailboxId },
  );
  const producer = await bus.createProducer();
  try {
    await producer.send([
      { topic: Topics.provisioningResults, key: mailbox.mailboxId, value: JSON.stringify(event) },
    ]);
  } finally {
    await producer.disconnect();
  }
  await waitFor(
    async () =>
      (await admin('GET', `/admin/mailboxes/${mailbox.mailboxId}`)).body.lastActivityAt === at.toISOString(),
    { what: `last activity of ${mailbox.address} recorded`, timeoutMs: 30_000 },
  );
}

const sweep = async (province: string) => {
  const res = await admin('POST', `/admin/inactivity/sweep?province=${province}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as unknown as {
    locked: { mailboxId: string }[];
    proposed: { mailboxId: string; proposalId: string }[];
  };
};

interface Proposal {
  id: string;
  mailboxId: string;
  state: string;
  article: string;
  inactiveSince: string;
  reason: string | null;
  decidedBy: string | null;
}
const proposalsOf = async (mailboxId: string) =>
  (await admin('GET', `/admin/reclaims?state=all&mailboxId=${mailboxId}`)).body.items as Proposal[];

async function inVmail(address: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: VMAIL_URL });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM mailbox WHERE username = $1', [address])).rowCount === 1;
  } finally {
    await client.end();
  }
}

/** Mail from outside through the real Postfix (smtpd on 2525) into the mailbox. */
async function deliverTo(address: string, subject: string, from: string) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: 2525,
    secure: false,
    ignoreTLS: true,
  });
  try {
    await transport.sendMail({ from, to: address, subject, text: 'Công văn' });
  } finally {
    transport.close();
  }
}

/** The real provisioner's activity pass over the domain (what its periodic report does). */
async function reportActivityNow(domain: string) {
  const res = await adminFetch(serviceUrl('provisioner'), 'POST', `/admin/activity/report?domain=${domain}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** A personal mailbox in an agency of the province, made by the directory and the real provisioner. */
async function personalMailbox(province: string) {
  const agency = await registerTestAgency({ province });
  const create = itemApproved({
    province,
    agencyId: agency.agencyId,
    operation: 'create',
    mailboxType: 'personal',
    person: { familyName: 'Đinh', middleName: 'Thị', givenName: `Kt${randomLetters(8)}` },
    passwordHash: `{BLF-CRYPT}${await bcrypt.hash(`Kt${randomUUID()}1!`, 5)}`,
  });
  await publish(t.bus, [create]);
  const command = await commandFor(t.collector, create.data.itemId);
  const mailbox = { mailboxId: command.data.mailboxId, address: command.data.address };
  await waitFor(async () => (await mailboxState(mailbox.mailboxId)).state === 'active', {
    what: `${mailbox.address} active`,
    timeoutMs: 30_000,
  });
  return mailbox;
}

describe('Bắc Ninh Điều 4 khoản 2 điểm c: a mailbox unused for 6 months is locked', () => {
  let stttt: AgencyClient;
  const requester = { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng', phone: '0222 3822 000' };
  const reference = () => ({
    number: `${Math.floor(Math.random() * 90000) + 10000}/KT-VP`,
    date: '2026-11-20',
  });

  beforeAll(() => {
    const client = readDemoClients().find((c) => c.abbreviation === 'stttt');
    if (!client) throw new Error('demo client stttt missing (var/demo/clients.json)');
    stttt = createAgencyClient(client);
  });

  async function submitted(items: Record<string, unknown>[]) {
    // a mailbox the requests service's replica has not seen yet is refused (403) for a moment
    const answer = await waitFor(
      async () => {
        const a = await stttt.submit({ requester, reference: reference(), items });
        if (a.status === 202) return a.body;
        if (a.status !== 403) throw new Error(`submit answered ${a.status}: ${JSON.stringify(a.body)}`);
        return undefined;
      },
      { timeoutMs: 30_000, what: 'request accepted' },
    );
    const done = await stttt.waitFinished(answer.id);
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'completed' });
    return done.items[0]!;
  }

  it('when its last login is 7 months old, then the sweep locks it: history locked_inactive, the login refused; a later login does not unlock it; a restore request does, and the period starts again', async () => {
    const created = await submitted([
      {
        operation: 'create',
        mailboxType: 'personal',
        person: {
          familyName: 'Lê',
          middleName: 'Thị',
          givenName: `Kt${randomLetters(8)}`,
          position: 'Chuyên viên',
        },
      },
    ]);
    const credential = await stttt.openCredential(created.credentialUrl!);
    if (!('password' in credential)) throw new Error(`credential answered ${credential.status}`);
    const found = await admin('GET', `/admin/directory/search?address=${credential.address}`);
    const mailboxId = (found.body.items as { mailboxId: string }[])[0]!.mailboxId;
    const mailbox = { mailboxId, address: credential.address };

    await reportLogin(t.bus, mailbox, monthsAgo(7));
    expect((await sweep('bac-ninh')).locked.map((l) => l.mailboxId)).toContain(mailboxId);

    expect(await mailboxState(mailboxId)).toMatchObject({ state: 'locked' });
    const locked = (await mailboxHistory(mailboxId)).find((h) => h.change === 'locked_inactive');
    expect(locked).toMatchObject({
      reason: expect.stringMatching(/Điều 4 khoản 2 điểm c.*unused for 6 months/),
      details: { from: 'active', to: 'locked', rule: { article: 'Điều 4 khoản 2 điểm c', action: 'lock' } },
    });
    const suspend = await t.collector.waitForEvent(
      (e) =>
        e.type === 'vn.gov.hopthu.provisioning.command.v1' &&
        e.data.mailboxId === mailboxId &&
        e.data.action === 'suspend',
      'suspend command',
    );
    expect(suspend.data).toMatchObject({ requestId: null, itemId: null });
    await waitFor(async () => !(await imapLoginWorks(mailbox.address, credential.password, stack.imap)), {
      what: 'login refused after the lock',
      timeoutMs: 30_000,
    });

    // a login reported later (the regulation: locked until a request) changes nothing; it is still
    // old, so that below only the restore can explain why the sweep leaves the mailbox alone
    await reportLogin(t.bus, mailbox, new Date(monthsAgo(7).getTime() + 24 * 3600 * 1000));
    expect(await sweep('bac-ninh')).toBeTruthy();
    expect((await mailboxState(mailboxId)).state).toBe('locked');

    const restored = await submitted([
      { operation: 'restore', mailboxType: 'personal', address: mailbox.address },
    ]);
    expect(restored).toMatchObject({ status: 'completed' });
    expect((await mailboxState(mailboxId)).state).toBe('active');
    await waitFor(() => imapLoginWorks(mailbox.address, credential.password, stack.imap), {
      what: 'login works after the restore',
      timeoutMs: 30_000,
    });
    // its last reported use is still 7 months old, but the restore started the period again
    expect((await sweep('bac-ninh')).locked.map((l) => l.mailboxId)).not.toContain(mailboxId);
    expect((await mailboxState(mailboxId)).state).toBe('active');
  });
});

describe('Bắc Ninh Điều 4 khoản 2 điểm c counts sending and receiving, not only logins', () => {
  it('when a mailbox last logged in 7 months ago but mail is delivered to it, then the provisioner reports the delivery and the sweep leaves it open', async () => {
    const mailbox = await personalMailbox('bac-ninh');
    await waitFor(() => inVmail(mailbox.address), { what: `${mailbox.address} in vmail`, timeoutMs: 60_000 });
    await reportLogin(t.bus, mailbox, monthsAgo(7));

    const deliveredAfter = Date.now() - 1000;
    await deliverTo(mailbox.address, `Công văn ${randomUUID()}`, 'vanphong@thanhhoa.gov.vn');
    await waitFor(
      async () => {
        await reportActivityNow('bacninh.gov.vn');
        const at = (await admin('GET', `/admin/mailboxes/${mailbox.mailboxId}`)).body.lastActivityAt;
        return typeof at === 'string' && Date.parse(at) >= deliveredAfter;
      },
      { what: `the delivery to ${mailbox.address} recorded as its last use`, timeoutMs: 60_000 },
    );
    expect((await sweep('bac-ninh')).locked.map((l) => l.mailboxId)).not.toContain(mailbox.mailboxId);
    expect((await mailboxState(mailbox.mailboxId)).state).toBe('active');
  });
});

describe('Đắk Nông Điều 7 khoản 3: a mailbox unused for 6 months is proposed for reclaiming', () => {
  it('when its last login is 7 months old, then one proposal is listed; an operator approves it and the mailbox is deleted from the mail server, the history saying why', async () => {
    const mailbox = await personalMailbox('dak-nong');
    await waitFor(() => inVmail(mailbox.address), { what: `${mailbox.address} in vmail`, timeoutMs: 30_000 });
    await reportLogin(t.bus, mailbox, monthsAgo(7));

    const first = await sweep('dak-nong');
    const proposed = first.proposed.find((p) => p.mailboxId === mailbox.mailboxId);
    expect(proposed).toBeTruthy();
    // idempotent: a second sweep proposes nothing more for it
    expect((await sweep('dak-nong')).proposed.map((p) => p.mailboxId)).not.toContain(mailbox.mailboxId);
    const open = await proposalsOf(mailbox.mailboxId);
    expect(open).toEqual([
      expect.objectContaining({ id: proposed!.proposalId, state: 'proposed', article: 'Điều 7 khoản 3' }),
    ]);
    const listed = (await admin('GET', '/admin/reclaims?province=dak-nong')).body.items as Proposal[];
    expect(listed.map((p) => p.id)).toContain(proposed!.proposalId);
    // nothing is deleted by the sweep itself
    expect((await mailboxState(mailbox.mailboxId)).state).toBe('active');

    const anonymous = await admin('POST', `/admin/reclaims/${proposed!.proposalId}/approve`, {});
    expect(anonymous.status).toBe(400);
    const approved = await admin('POST', `/admin/reclaims/${proposed!.proposalId}/approve`, {
      operator: OPERATOR,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ state: 'approved', decidedBy: OPERATOR, mailboxState: 'deleted' });
    expect(
      (await admin('POST', `/admin/reclaims/${proposed!.proposalId}/approve`, { operator: OPERATOR })).status,
    ).toBe(409);

    expect((await mailboxState(mailbox.mailboxId)).state).toBe('deleted');
    await waitFor(async () => !(await inVmail(mailbox.address)), {
      what: `${mailbox.address} gone from vmail`,
      timeoutMs: 30_000,
    });
    const history = await mailboxHistory(mailbox.mailboxId);
    expect(history.map((h) => h.change)).toEqual(
      expect.arrayContaining(['reclaim_proposed', 'reclaimed_inactive']),
    );
    expect(history.find((h) => h.change === 'reclaimed_inactive')).toMatchObject({
      reason: expect.stringMatching(/Điều 7 khoản 3.*op\.inactivity/),
      details: { proposalId: proposed!.proposalId, to: 'deleted' },
    });
  });
});

describe('Kiên Giang Điều 5 khoản 4: a dismissed proposal', () => {
  it('when an operator dismisses it with a reason, then the sweep does not propose it again until a newer period of disuse', async () => {
    const mailbox = await personalMailbox('kien-giang');
    await reportLogin(t.bus, mailbox, monthsAgo(7));
    const proposed = (await sweep('kien-giang')).proposed.find((p) => p.mailboxId === mailbox.mailboxId);
    expect(proposed).toBeTruthy();

    expect(
      (await admin('POST', `/admin/reclaims/${proposed!.proposalId}/dismiss`, { operator: OPERATOR })).status,
    ).toBe(400);
    const dismissed = await admin('POST', `/admin/reclaims/${proposed!.proposalId}/dismiss`, {
      operator: OPERATOR,
      reason: 'Cán bộ đi học dài hạn, giữ hộp thư',
    });
    expect(dismissed.status, JSON.stringify(dismissed.body)).toBe(200);
    expect(dismissed.body).toMatchObject({
      state: 'dismissed',
      reason: 'Cán bộ đi học dài hạn, giữ hộp thư',
    });
    expect((await sweep('kien-giang')).proposed.map((p) => p.mailboxId)).not.toContain(mailbox.mailboxId);
    expect((await mailboxState(mailbox.mailboxId)).state).toBe('active');

    // used again, then unused for a new period: proposed again
    await reportLogin(t.bus, mailbox, new Date(monthsAgo(6).getTime() - 24 * 3600 * 1000));
    const again = (await sweep('kien-giang')).proposed.find((p) => p.mailboxId === mailbox.mailboxId);
    expect(again?.proposalId).toBeTruthy();
    expect(again?.proposalId).not.toBe(proposed!.proposalId);
    expect((await proposalsOf(mailbox.mailboxId)).map((p) => p.state).sort()).toEqual([
      'dismissed',
      'proposed',
    ]);
    // leave nothing open for the operators of a shared stack
    await admin('POST', `/admin/reclaims/${again!.proposalId}/dismiss`, {
      operator: OPERATOR,
      reason: 'test',
    });
    expect((await mailboxHistory(mailbox.mailboxId)).map((h) => h.change)).toEqual(
      expect.arrayContaining(['reclaim_proposed', 'reclaim_dismissed']),
    );
  });
});

describe('Kiên Giang Điều 5 khoản 4: a reclaimed mailbox may be reissued', () => {
  /** A Kiên Giang personal mailbox with a known password and one delivered letter. */
  async function usedMailbox(subject: string) {
    const agency = await registerTestAgency({ province: 'kien-giang' });
    const password = `Kt${randomUUID()}1!`;
    const create = itemApproved({
      province: 'kien-giang',
      agencyId: agency.agencyId,
      operation: 'create',
      mailboxType: 'personal',
      person: { familyName: 'Đinh', middleName: 'Thị', givenName: `Kt${randomLetters(8)}` },
      passwordHash: `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`,
    });
    await publish(t.bus, [create]);
    const command = await commandFor(t.collector, create.data.itemId);
    const mailbox = { mailboxId: command.data.mailboxId, address: command.data.address as string };
    await waitFor(async () => (await mailboxState(mailbox.mailboxId)).state === 'active', {
      what: `${mailbox.address} active`,
      timeoutMs: 60_000,
    });
    await waitFor(() => inVmail(mailbox.address), { what: `${mailbox.address} in vmail`, timeoutMs: 60_000 });
    await deliverTo(mailbox.address, subject, 'vanphong@kiengiang.gov.vn');
    await waitFor(
      async () => (await messageIdsInInbox(mailbox.address, password, subject, stack.imap)).length === 1,
      {
        what: `letter delivered to ${mailbox.address}`,
        timeoutMs: 60_000,
      },
    );
    return { ...mailbox, password, agencyId: agency.agencyId };
  }

  async function reclaim(mailbox: { mailboxId: string; address: string }) {
    await reportLogin(t.bus, mailbox, monthsAgo(7));
    const proposed = (await sweep('kien-giang')).proposed.find((p) => p.mailboxId === mailbox.mailboxId);
    expect(proposed).toBeTruthy();
    const approved = await admin('POST', `/admin/reclaims/${proposed!.proposalId}/approve`, {
      operator: OPERATOR,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    return approved.body as { mailboxState: string; keptUntil: string | null };
  }

  it('when a reclaim is approved, the mailbox is locked with its address and mail kept for a year; a restore (the reissue) gives the same address and mail back', async () => {
    const subject = `Giữ thư ${randomLetters(6)}`;
    const mailbox = await usedMailbox(subject);
    const approved = await reclaim(mailbox);
    const year = new Date(Date.now() + 365 * 24 * 3600 * 1000);
    expect(approved.mailboxState).toBe('locked');
    expect(Math.abs(new Date(approved.keptUntil!).getTime() - year.getTime())).toBeLessThan(3600 * 1000);
    expect(await mailboxState(mailbox.mailboxId)).toMatchObject({
      state: 'locked',
      address: mailbox.address,
    });
    const history = (await mailboxHistory(mailbox.mailboxId)).find((h) => h.change === 'reclaimed_inactive');
    expect(history).toMatchObject({
      reason: expect.stringMatching(/Điều 5 khoản 4.*cấp lại/),
      details: { to: 'locked', keptUntil: approved.keptUntil },
    });
    // on the mail server: logins refused, the mailbox and its mail still there
    await waitFor(async () => !(await imapLoginWorks(mailbox.address, mailbox.password, stack.imap)), {
      what: 'login refused after the reclaim',
      timeoutMs: 60_000,
    });
    expect(await inVmail(mailbox.address)).toBe(true);
    // nothing deletes it before its date
    expect((await sweep('kien-giang')) as unknown as { expired: { mailboxId: string }[] }).not.toMatchObject({
      expired: [expect.objectContaining({ mailboxId: mailbox.mailboxId })],
    });

    // the reissue: the Chánh Văn phòng's restore request, approved
    const restore = itemApproved({
      province: 'kien-giang',
      agencyId: mailbox.agencyId,
      operation: 'restore',
      mailboxType: 'personal',
      address: mailbox.address,
    });
    await publish(t.bus, [restore]);
    await waitFor(async () => (await mailboxState(mailbox.mailboxId)).state === 'active', {
      what: 'reissued',
      timeoutMs: 60_000,
    });
    expect((await mailboxState(mailbox.mailboxId)).address).toBe(mailbox.address);
    await waitFor(() => imapLoginWorks(mailbox.address, mailbox.password, stack.imap), {
      what: 'login works after the reissue',
      timeoutMs: 60_000,
    });
    expect(await messageIdsInInbox(mailbox.address, mailbox.password, subject, stack.imap)).toHaveLength(1);
  });

  it('when its time for a reissue has passed, the sweep deletes it (history reclaim_expired) and it leaves the mail server', async () => {
    const mailbox = await usedMailbox(`Hết hạn ${randomLetters(6)}`);
    await reclaim(mailbox);
    // the year has passed (the test moves the date back rather than wait)
    const db = new pg.Client({ connectionString: localSecret('DIRECTORY_DATABASE_URL') });
    await db.connect();
    try {
      await db.query(`UPDATE mailboxes SET reclaimed_until = now() - interval '1 minute' WHERE id = $1`, [
        mailbox.mailboxId,
      ]);
    } finally {
      await db.end();
    }
    const swept = (await sweep('kien-giang')) as unknown as { expired: { mailboxId: string }[] };
    expect(swept.expired.map((e) => e.mailboxId)).toContain(mailbox.mailboxId);
    expect((await mailboxState(mailbox.mailboxId)).state).toBe('deleted');
    expect((await mailboxHistory(mailbox.mailboxId)).map((h) => h.change)).toContain('reclaim_expired');
    await waitFor(async () => !(await inVmail(mailbox.address)), {
      what: `${mailbox.address} gone from vmail`,
      timeoutMs: 60_000,
    });
  });
});

describe('Bắc Ninh Điều 4 khoản 2 điểm c: a known absence ("mà không có lý do") holds the lock back', () => {
  it('when the agency gives a reason with an end date, the sweep leaves the unused mailbox open until then; ended, it is locked', async () => {
    const mailbox = await personalMailbox('bac-ninh');
    await reportLogin(t.bus, mailbox, monthsAgo(7));
    const until = new Date(Date.now() + 60 * 24 * 3600 * 1000).toISOString().slice(0, 10);

    const past = await admin('PUT', `/admin/mailboxes/${mailbox.mailboxId}/absence`, {
      until: '2020-01-01',
      reason: 'Đi học',
      operator: OPERATOR,
    });
    expect(past.status).toBe(400);
    expect(past.body).toMatchObject({ errors: [{ field: '/until' }] });

    const given = await admin('PUT', `/admin/mailboxes/${mailbox.mailboxId}/absence`, {
      until,
      reason: 'Đi học dài hạn tại Học viện Chính trị',
      operator: OPERATOR,
    });
    expect(given.status, JSON.stringify(given.body)).toBe(200);
    expect(given.body).toMatchObject({ reason: 'Đi học dài hạn tại Học viện Chính trị' });
    expect((await sweep('bac-ninh')).locked.map((l) => l.mailboxId)).not.toContain(mailbox.mailboxId);
    expect((await mailboxState(mailbox.mailboxId)).state).toBe('active');
    expect(
      (await mailboxHistory(mailbox.mailboxId)).find((h) => h.change === 'absence_recorded'),
    ).toMatchObject({
      reason: 'Đi học dài hạn tại Học viện Chính trị',
      actor: OPERATOR,
    });

    expect((await admin('DELETE', `/admin/mailboxes/${mailbox.mailboxId}/absence`, undefined)).status).toBe(
      400,
    );
    const removed = await fetch(`${baseUrl}/admin/mailboxes/${mailbox.mailboxId}/absence`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${testAdminToken}`, 'x-operator': OPERATOR },
    });
    expect(removed.status).toBe(200);
    expect((await sweep('bac-ninh')).locked.map((l) => l.mailboxId)).toContain(mailbox.mailboxId);
    expect((await mailboxState(mailbox.mailboxId)).state).toBe('locked');
  });
});
