// A province with several domains on the real stack: an operator adds an alias domain (history:
// who and why), mail to x@alias arrives in x@primary's mailbox through the real Postfix and
// Dovecot (SMTP in, IMAP read), new addresses go to the primary only, and after the alias domain is
// removed its mail is refused again. Uniqueness across domains: reorganisation.test.ts.
import { randomUUID } from 'node:crypto';
import { countInInbox, imapLoginWorks, waitFor } from '@hopthu/shared/testing';
import bcrypt from 'bcryptjs';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, ensureDirectory, randomLetters, registerTestAgency } from './helpers.ts';

const smtp = { host: process.env.SMTP_HOST ?? '127.0.0.1', port: Number(process.env.SMTP_PORT ?? 2525) };

async function send(to: string, subject: string): Promise<'accepted' | 'refused'> {
  const transport = nodemailer.createTransport({ ...smtp, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ from: 'kiemthu@example.org', to, subject, text: 'thư kiểm thử / test mail' });
    return 'accepted';
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    if (code !== undefined && code >= 400) return 'refused';
    throw error;
  } finally {
    transport.close();
  }
}

let stop: () => Promise<void> = async () => {};
beforeAll(async () => {
  stop = await ensureDirectory();
});
afterAll(async () => stop());

describe('alias domains of a province', () => {
  it('when an operator adds an alias domain, then mail to x@alias arrives in x@primary (mailbox or alias) until it is removed', async () => {
    const password = `Kt${randomUUID()}1!`;
    const agency = await registerTestAgency({
      officialMailboxPasswordHash: `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`,
    });
    await waitFor(() => imapLoginWorks(agency.officialMailbox, password), { timeoutMs: 20_000 });
    const [local] = agency.officialMailbox.split('@') as [string];
    const aliasDomain = `bg${randomLetters(8)}.gov.vn`;

    const added = await admin('POST', '/admin/provinces/bac-ninh/alias-domains', {
      domain: aliasDomain,
      reason: 'Sáp nhập tỉnh (kiểm thử)',
      operator: 'canbo.kiemthu',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      primaryDomain: 'bacninh.gov.vn',
      aliasDomains: expect.arrayContaining([aliasDomain]),
    });
    const again = await admin('POST', '/admin/provinces/bac-ninh/alias-domains', {
      domain: aliasDomain,
      reason: 'lần nữa',
      operator: 'canbo.kiemthu',
    });
    expect(again).toMatchObject({ status: 200, body: { created: false } });

    const subject = `alias-domain ${randomUUID()}`;
    // the provisioner writes the alias domain asynchronously: until then Postfix refuses the address
    await waitFor(async () => (await send(`${local}@${aliasDomain}`, subject)) === 'accepted', {
      timeoutMs: 20_000,
      intervalMs: 500,
    });
    await waitFor(async () => (await countInInbox(agency.officialMailbox, password, subject)) === 1, {
      timeoutMs: 20_000,
    });

    // new addresses use the primary; an alias at the primary is reached through the alias domain too
    const aliasLocal = `x${randomLetters(8)}`;
    const atAliasDomain = await admin('POST', '/admin/aliases', {
      address: `${aliasLocal}@${aliasDomain}`,
      mailboxId: agency.officialMailboxId,
    });
    expect(atAliasDomain.status).toBe(400);
    const atPrimary = await admin('POST', '/admin/aliases', {
      address: `${aliasLocal}@bacninh.gov.vn`,
      mailboxId: agency.officialMailboxId,
    });
    expect(atPrimary.status).toBe(201);
    const viaAlias = `alias-domain alias ${randomUUID()}`;
    await waitFor(async () => (await send(`${aliasLocal}@${aliasDomain}`, viaAlias)) === 'accepted', {
      timeoutMs: 20_000,
      intervalMs: 500,
    });
    await waitFor(async () => (await countInInbox(agency.officialMailbox, password, viaAlias)) === 1, {
      timeoutMs: 20_000,
    });

    const domains = await admin('GET', '/admin/provinces/bac-ninh/domains');
    expect(domains.body.history).toContainEqual(
      expect.objectContaining({
        domain: aliasDomain,
        change: 'alias_added',
        actor: 'canbo.kiemthu',
        reason: 'Sáp nhập tỉnh (kiểm thử)',
      }),
    );

    const removed = await admin('DELETE', `/admin/provinces/bac-ninh/alias-domains/${aliasDomain}`, {
      reason: 'hết dùng',
      operator: 'canbo.kiemthu',
    });
    expect(removed.status).toBe(200);
    expect(removed.body.aliasDomains).not.toContain(aliasDomain);
    await waitFor(async () => (await send(`${local}@${aliasDomain}`, `${subject} after`)) === 'refused', {
      timeoutMs: 20_000,
      intervalMs: 500,
    });
  });

  it('when the domain is malformed or another province owns it, then 4xx naming the field and nothing changes', async () => {
    const bad = await admin('POST', '/admin/provinces/bac-ninh/alias-domains', {
      domain: 'không phải tên miền',
      reason: 'x',
      operator: 'canbo.kiemthu',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('/domain');
    const owned = await admin('POST', '/admin/provinces/bac-ninh/alias-domains', {
      domain: 'khanhhoa.gov.vn',
      reason: 'x',
      operator: 'canbo.kiemthu',
    });
    expect(owned.status).toBe(409);
    const noOperator = await admin('POST', '/admin/provinces/bac-ninh/alias-domains', {
      domain: `bg${randomLetters(8)}.gov.vn`,
      reason: 'x',
    });
    expect(noOperator.status).toBe(400);
    const domains = await admin('GET', '/admin/provinces/bac-ninh/domains');
    expect(domains.body.aliasDomains).not.toContain('khanhhoa.gov.vn');
  });
});
