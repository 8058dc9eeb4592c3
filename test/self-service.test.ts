// The mailbox holder's side (issue 13) on the real stack: a new Đắk Nông mailbox (made by the
// directory and the provisioner, as an approved create makes it) cannot be used until its holder
// changes the issued password on the self-service page; IMAP over TLS (imapflow trusting the local
// CA) and authenticated submission (nodemailer, STARTTLS + AUTH) then work with the new password
// only; sending as someone else is refused; Kiên Giang locks a mailbox whose issued password is
// never changed and a restore reopens it under a new one; repeated wrong passwords get 429.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createSqlPool,
  readStack,
  serviceDatabaseUrl,
  serviceUrl,
  testAdminToken,
  waitFor,
} from '@hopthu/shared/testing';
import bcrypt from 'bcryptjs';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  commandFor,
  itemApproved,
  mailboxHistory,
  mailboxState,
  publish,
  randomLetters,
  registerTestAgency,
  useDirectory,
} from '../services/directory/test/helpers.ts';

interface Endpoint {
  host: string;
  port: number;
}
const stack = readStack() as ReturnType<typeof readStack> & {
  imaps: Endpoint;
  submission: Endpoint;
  tls: { caFile: string };
};
const ca = readFileSync(stack.tls.caFile);
const requestsUrl = serviceUrl('requests');
const PAGE = `${requestsUrl}/doi-mat-khau`;
const t = useDirectory();
let requestsDb: pg.Pool;

beforeAll(() => {
  requestsDb = createSqlPool(serviceDatabaseUrl('requests'));
});
afterAll(async () => {
  await requestsDb?.end();
});

/** A client address of its own for each test (X-Forwarded-For from loopback, a trusted proxy). */
const testClientIp = () => `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
const issuedPassword = () => `Cap${randomBytes(4).toString('hex')}!Moi9`;

/** A personal mailbox with an issued password, made by the directory and the real provisioner. */
async function newMailbox(province: string, givenName: string) {
  const agency = await registerTestAgency({ province });
  const password = issuedPassword();
  const create = itemApproved({
    province,
    agencyId: agency.agencyId,
    operation: 'create',
    mailboxType: 'personal',
    person: { familyName: 'Phạm', middleName: 'Thị', givenName },
    passwordHash: `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`,
  });
  await publish(t.bus, [create]);
  const command = await commandFor(t.collector, create.data.itemId);
  const mailbox = { mailboxId: command.data.mailboxId, address: command.data.address, password, agency };
  await waitFor(async () => (await mailboxState(mailbox.mailboxId)).state === 'active', {
    what: `${mailbox.address} active`,
    timeoutMs: 30_000,
  });
  // the requests service knows it (its replica of the directory) before the holder can use the page
  await waitFor(
    async () =>
      (
        await requestsDb.query("SELECT 1 FROM mailboxes WHERE address = $1 AND state = 'active'", [
          mailbox.address,
        ])
      ).rowCount === 1,
    { what: `${mailbox.address} in the requests replica`, timeoutMs: 30_000 },
  );
  return mailbox;
}

/** IMAP over TLS on the IMAPS port, verifying the server against the local CA: ok, or the refusal. */
async function imapsLogin(user: string, pass: string): Promise<{ ok: true } | { ok: false; text: string }> {
  const client = new ImapFlow({
    host: stack.imaps.host,
    port: stack.imaps.port,
    secure: true,
    tls: { ca },
    auth: { user, pass },
    logger: false,
  });
  try {
    await client.connect();
    await client.logout();
    return { ok: true };
  } catch (err) {
    const e = err as { responseText?: string; message: string };
    return { ok: false, text: e.responseText ?? e.message };
  }
}

async function inboxSubjects(user: string, pass: string): Promise<string[]> {
  const client = new ImapFlow({
    host: stack.imaps.host,
    port: stack.imaps.port,
    secure: true,
    tls: { ca },
    auth: { user, pass },
    logger: false,
  });
  await client.connect();
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const subjects: string[] = [];
      if ((client.mailbox as { exists: number }).exists > 0)
        for await (const m of client.fetch('1:*', { envelope: true }))
          subjects.push(m.envelope?.subject ?? '');
      return subjects;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

/** Submission with STARTTLS required and AUTH, as a mail client sends. */
async function submit(user: string, pass: string, from: string, to: string, subject: string) {
  const transport = nodemailer.createTransport({
    host: stack.submission.host,
    port: stack.submission.port,
    secure: false,
    requireTLS: true,
    tls: { ca },
    auth: { user, pass },
  });
  try {
    await transport.sendMail({ from, to, subject, text: 'Kính gửi: thử gửi thư từ ứng dụng thư.' });
    return { ok: true as const };
  } catch (err) {
    const e = err as { response?: string; message: string };
    return { ok: false as const, text: e.response ?? e.message };
  } finally {
    transport.close();
  }
}

async function api(body: Record<string, unknown>, clientIp: string) {
  const res = await fetch(`${requestsUrl}/v1/self-service/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': clientIp },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    contentType: res.headers.get('content-type') ?? '',
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** The page as a browser uses it: GET (cookie + hidden token), then POST the form with both. */
async function postPage(fields: Record<string, string>, clientIp: string) {
  const get = await fetch(PAGE);
  const html = await get.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const cookie = (get.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const res = await fetch(PAGE, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie,
      origin: requestsUrl,
      'x-forwarded-for': clientIp,
    },
    body: new URLSearchParams({ _csrf: token, ...fields }).toString(),
  });
  return { status: res.status, html: await res.text() };
}

describe('Đắk Nông Điều 12 khoản 1: the issued password is changed at first login', () => {
  it('when a new mailbox is issued, then IMAP and SMTP refuse it naming the page until the holder changes the password there; the new password must follow the rule (each broken rule named); after the change IMAP over TLS takes the new password and not the old, the holder sends through submission and it arrives, and sending as someone else is refused', async () => {
    const givenName = `Lan${randomLetters(6)}`;
    const box = await newMailbox('dak-nong', givenName);
    const other = await newMailbox('dak-nong', `Mai${randomLetters(6)}`);
    const ip = testClientIp();

    // before the change: both protocols refuse, and say where to go
    const refused = await imapsLogin(box.address, box.password);
    expect(refused).toMatchObject({ ok: false, text: expect.stringContaining('/doi-mat-khau') });
    const notSent = await submit(box.address, box.password, box.address, other.address, 'trước khi đổi');
    expect(notSent).toMatchObject({ ok: false, text: expect.stringMatching(/5\.7\.1.*\/doi-mat-khau/) });

    // the page is Vietnamese and made for a phone
    const page = await fetch(PAGE);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('name="viewport"');
    expect(html).toContain('Đổi mật khẩu hộp thư công vụ');

    // a weak password: every broken rule of Đắk Nông 12.1 named, in Vietnamese and English (API)
    const weak = await api({ address: box.address, currentPassword: box.password, newPassword: 'abc' }, ip);
    expect(weak.status).toBe(422);
    expect(weak.contentType).toContain('application/problem+json');
    const errors = weak.body.errors as {
      field: string;
      rule: string;
      article: string;
      message: { vi: string; en: string };
    }[];
    expect(errors.map((e) => e.rule)).toEqual(['too_short', 'missing_upper', 'missing_special']);
    for (const e of errors) {
      expect(e).toMatchObject({ field: '/newPassword', article: 'Điều 12 khoản 1' });
      expect(e.message.vi).toMatch(/Mật khẩu/);
      expect(e.message.en).toMatch(/password/);
    }
    // the holder's name (diacritics folded) and the address are refused too, and so is the page's
    const named = await api(
      { address: box.address, currentPassword: box.password, newPassword: `Pham${givenName}!X` },
      ip,
    );
    expect((named.body.errors as { rule: string }[]).map((e) => e.rule)).toEqual(['contains_name']);
    const onPage = await postPage(
      {
        address: box.address,
        currentPassword: box.password,
        newPassword: 'abcdefgh',
        confirmPassword: 'abcdefgh',
      },
      ip,
    );
    expect(onPage.status).toBe(422);
    expect(onPage.html).toContain('Mật khẩu phải có chữ in hoa');
    expect(onPage.html).toContain('Mật khẩu phải có ký tự đặc biệt');
    // nothing changed: the issued password is still the one in force
    expect(await imapsLogin(box.address, box.password)).toMatchObject({ ok: false });

    // a form from another site (no matching token, foreign Origin) changes nothing
    const forged = await fetch(PAGE, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({
        _csrf: 'x',
        address: box.address,
        currentPassword: box.password,
        newPassword: 'Forged#Pass1',
        confirmPassword: 'Forged#Pass1',
      }).toString(),
    });
    expect(forged.status).toBe(403);

    // the change on the page, with the issued password
    const newPassword = `Hoa${randomBytes(3).toString('hex')}#Sen7`;
    const changed = await postPage(
      { address: box.address, currentPassword: box.password, newPassword, confirmPassword: newPassword },
      ip,
    );
    expect(changed.status, changed.html).toBe(200);
    expect(changed.html).toContain('Đã đổi mật khẩu');

    // in force on the real Dovecot within seconds: the new password over TLS, not the old one
    await waitFor(async () => (await imapsLogin(box.address, newPassword)).ok, {
      what: 'IMAPS login with the new password',
      timeoutMs: 30_000,
    });
    expect(await imapsLogin(box.address, box.password)).toMatchObject({
      ok: false,
      text: expect.not.stringContaining('/doi-mat-khau'),
    });

    // history in the directory, only the hash travelled
    const history = await mailboxHistory(box.mailboxId);
    const entry = history.find((h) => h.change === 'password_changed');
    expect(entry).toMatchObject({ reason: expect.stringContaining('tự đổi mật khẩu') });
    expect(JSON.stringify(history)).not.toContain(newPassword);
    const setPassword = await t.collector.waitForEvent(
      (e) =>
        e.type === 'vn.gov.hopthu.provisioning.command.v1' &&
        e.data.mailboxId === box.mailboxId &&
        e.data.action === 'set_password',
      'set_password command',
    );
    expect(JSON.stringify(setPassword)).not.toContain(newPassword);
    expect(setPassword.data).toMatchObject({
      passwordChangeRequired: false,
      passwordHash: expect.stringMatching(/^\{BLF-CRYPT\}\$2[aby]\$/),
    });

    // the holder sends with a mail client: authenticated submission, and it arrives
    const subject = `Báo cáo tuần ${randomUUID()}`;
    expect(await submit(box.address, newPassword, box.address, box.address, subject)).toEqual({ ok: true });
    await waitFor(async () => (await inboxSubjects(box.address, newPassword)).includes(subject), {
      what: 'the message in the INBOX',
      timeoutMs: 30_000,
    });

    // sending as someone else is refused (reject_sender_login_mismatch)
    const spoofed = await submit(box.address, newPassword, other.address, box.address, 'giả mạo');
    expect(spoofed).toMatchObject({
      ok: false,
      text: expect.stringMatching(/553 5\.7\.1.*not owned by user/),
    });
  });
});

describe('the brake on wrong passwords', () => {
  it('when one address gets 5 wrong current passwords, then the next attempt is 429 with Retry-After, even with the right password', async () => {
    const box = await newMailbox('bac-ninh', `Tu${randomLetters(6)}`);
    const ip = testClientIp();
    const wrong = await Promise.all(
      Array.from({ length: 5 }, () =>
        api({ address: box.address, currentPassword: 'Sai!mat-khau1', newPassword: 'Moi!MatKhau2026' }, ip),
      ),
    );
    expect(wrong.map((w) => w.status)).toEqual([401, 401, 401, 401, 401]);
    expect(wrong[0]?.body).toMatchObject({ code: 'unauthorized', errors: [{ field: '/currentPassword' }] });
    const braked = await api(
      { address: box.address, currentPassword: box.password, newPassword: 'Moi!MatKhau2026' },
      testClientIp(),
    );
    expect(braked.status).toBe(429);
    expect(Number(braked.retryAfter)).toBeGreaterThan(0);
    expect(braked.body).toMatchObject({ code: 'rate_limited' });
  });

  it('when one client address gets 20 wrong passwords across addresses, then its next attempt is 429', async () => {
    const ip = testClientIp();
    const wrong = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api(
          {
            address: `khong.co${i}.${randomLetters(6)}@daknong.gov.vn`,
            currentPassword: 'x',
            newPassword: 'y',
          },
          ip,
        ),
      ),
    );
    expect(new Set(wrong.map((w) => w.status))).toEqual(new Set([401]));
    const braked = await api({ address: 'ai.do@daknong.gov.vn', currentPassword: 'x', newPassword: 'y' }, ip);
    expect(braked.status).toBe(429);
    expect(Number(braked.retryAfter)).toBeGreaterThan(0);
  });
});

describe('Kiên Giang Điều 10 khoản 3: a default password unchanged for 5 working days', () => {
  it('when the issued password is still unchanged 5 working days on, then the mailbox is locked (history says why); a restore request opens it under a new issued password', async () => {
    const box = await newMailbox('kien-giang', `Hai${randomLetters(6)}`);
    expect(await imapsLogin(box.address, box.password)).toEqual({ ok: true });

    // the sweep as of now leaves it alone; as of 10 days on (8 working days at least) it locks it
    const sweep = (asOf: Date) =>
      admin(
        'POST',
        `/admin/default-passwords/sweep?province=kien-giang&mailboxId=${box.mailboxId}&asOf=${encodeURIComponent(asOf.toISOString())}`,
      );
    const today = await sweep(new Date());
    expect(today.status, JSON.stringify(today.body)).toBe(200);
    expect(today.body.locked).toEqual([]);
    const lockedAt = new Date(Date.now() + 10 * 24 * 3600 * 1000);
    const later = await sweep(lockedAt);
    expect((later.body.locked as { mailboxId: string }[]).map((l) => l.mailboxId)).toEqual([box.mailboxId]);

    // nobody asked for the lock, so the agency is told at its official mailbox, with why
    const notice = await waitFor(
      async () => {
        const res = await fetch(
          `${serviceUrl('notifier')}/admin/deliveries?requestId=${encodeURIComponent(`locked:${box.mailboxId}:${lockedAt.toISOString()}`)}`,
          { headers: { authorization: `Bearer ${testAdminToken}` } },
        );
        const body = (await res.json()) as {
          deliveries: { purpose: string; target: string; payload: { subject: string; text: string } }[];
        };
        return body.deliveries.find((d) => d.purpose === 'mailbox_locked');
      },
      { what: "the lock notice to the agency's official mailbox", timeoutMs: 30_000 },
    );
    expect(notice.target).toBe(box.agency.officialMailbox);
    expect(notice.payload.subject).toContain(box.address);
    expect(notice.payload.text).toMatch(/không được đổi trong 5 ngày làm việc.*Điều 10 khoản 3/);

    expect(await mailboxState(box.mailboxId)).toMatchObject({ state: 'locked' });
    const locked = (await mailboxHistory(box.mailboxId)).find((h) => h.change === 'locked_default_password');
    expect(locked).toMatchObject({
      reason: expect.stringMatching(/5 ngày làm việc.*Điều 10 khoản 3.*5 working days/),
      details: { to: 'locked', rule: { province: 'kien-giang', article: 'Điều 10 khoản 3', workingDays: 5 } },
    });
    await waitFor(async () => !(await imapsLogin(box.address, box.password)).ok, {
      what: 'login refused after the lock',
      timeoutMs: 30_000,
    });

    // the restore, as the requests service sends it in Kiên Giang: with a new issued password
    const reissued = issuedPassword();
    await publish(t.bus, [
      itemApproved({
        province: 'kien-giang',
        agencyId: box.agency.agencyId,
        operation: 'restore',
        mailboxType: 'personal',
        address: box.address,
        passwordHash: `{BLF-CRYPT}${await bcrypt.hash(reissued, 5)}`,
      }),
    ]);
    await waitFor(async () => (await mailboxState(box.mailboxId)).state === 'active', {
      what: 'active again',
      timeoutMs: 30_000,
    });
    await waitFor(async () => (await imapsLogin(box.address, reissued)).ok, {
      what: 'login with the new issued password',
      timeoutMs: 30_000,
    });
    expect((await imapsLogin(box.address, box.password)).ok).toBe(false);
    expect((await mailboxHistory(box.mailboxId)).map((h) => h.change)).toContain('restored');
  });
});
