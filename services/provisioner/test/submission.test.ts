// Submission for mail clients (127.0.0.1:1587, STARTTLS + AUTH through Dovecot SASL) on mailboxes
// the provisioner made: a login sends as its own address and as an alias forwarding to it, never
// as another address (reject_sender_login_mismatch), and a restricted group (Đắk Nông's
// internal.<agency>@: administrators only) judges the authenticated login, not the envelope. An
// issued password that must be changed first is refused by IMAP and submission alike.
import { randomBytes, randomUUID } from 'node:crypto';
import { readStack, waitFor } from '@hopthu/shared/testing';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { buildCommand, inboxSubjects, submit, TEST_DOMAIN, useProvisioner } from './helpers.ts';

const t = useProvisioner();
const stack = readStack() as ReturnType<typeof readStack> & { submission: { host: string; port: number } };

describe('submission (1587): STARTTLS, AUTH, and who a login may send as', () => {
  it('when a login sends as itself or its alias, then it arrives; as another address, then 553; without TLS or with a wrong password, then nothing is sent', async () => {
    const alice = await t.createMailbox('sub-a');
    const bob = await t.createMailbox('sub-b');
    const alias = `alias.${randomBytes(4).toString('hex')}@${TEST_DOMAIN}`;
    const aliasId = randomUUID();
    const set = buildCommand({
      address: alias,
      mailboxId: aliasId,
      action: 'set_alias',
      aliasTargets: [alice.address],
    });
    expect(await t.apply(set, 1)).toMatchObject({ outcome: 'applied' });

    const own = `own ${randomUUID()}`;
    const viaAlias = `alias ${randomUUID()}`;
    expect(await submit(alice, alice.address, bob.address, own)).toBe('sent');
    expect(await submit(alice, alias, bob.address, viaAlias)).toBe('sent');
    await waitFor(
      async () => {
        const subjects = await inboxSubjects(bob.address, bob.password);
        return subjects.includes(own) && subjects.includes(viaAlias);
      },
      { timeoutMs: 45_000, what: 'both messages in bob’s INBOX' },
    );

    expect(await submit(alice, bob.address, alice.address, 'giả mạo')).toMatch(
      /^553 5\.7\.1 <.*>: Sender address rejected: not owned by user/,
    );
    expect(await submit({ ...alice, password: 'Sai!MatKhau9' }, alice.address, bob.address, 'x')).toMatch(
      /^535/,
    );

    // no AUTH before STARTTLS (smtpd_tls_auth_only) and no relay without AUTH
    const plain = nodemailer.createTransport({
      host: stack.submission.host,
      port: stack.submission.port,
      secure: false,
      ignoreTLS: true,
    });
    try {
      await expect(
        plain.sendMail({ from: alice.address, to: bob.address, subject: 'x', text: 'y' }),
      ).rejects.toThrow(/Encryption required|TLS|5\.7\.0/);
    } finally {
      plain.close();
    }
  });

  it('when a restricted group allows an administrator, then the administrator’s login reaches it and another login is refused, whatever envelope it tries', async () => {
    const admin = await t.createMailbox('sub-admin');
    const member = await t.createMailbox('sub-member');
    const group = `internal.${randomBytes(4).toString('hex')}@${TEST_DOMAIN}`;
    const set = buildCommand({
      address: group,
      mailboxId: randomUUID(),
      action: 'set_alias',
      aliasTargets: [member.address],
      allowedSenders: [admin.address],
    });
    expect(await t.apply(set, 1)).toMatchObject({ outcome: 'applied' });

    const subject = `group ${randomUUID()}`;
    expect(await submit(admin, admin.address, group, subject)).toBe('sent');
    await waitFor(async () => (await inboxSubjects(member.address, member.password)).includes(subject), {
      timeoutMs: 45_000,
      what: 'group mail delivered',
    });
    // the login is judged, not the envelope: the administrator sending from an alias of theirs
    // (an envelope the group does not list) still reaches the group
    const adminAlias = `vanthu.${randomBytes(4).toString('hex')}@${TEST_DOMAIN}`;
    const setAlias = buildCommand({
      address: adminAlias,
      mailboxId: randomUUID(),
      action: 'set_alias',
      aliasTargets: [admin.address],
    });
    expect(await t.apply(setAlias, 1)).toMatchObject({ outcome: 'applied' });
    const fromAlias = `group via alias ${randomUUID()}`;
    expect(await submit(admin, adminAlias, group, fromAlias)).toBe('sent');
    await waitFor(async () => (await inboxSubjects(member.address, member.password)).includes(fromAlias), {
      timeoutMs: 45_000,
      what: 'group mail from the alias delivered',
    });
    // and another login passes with neither its own address nor the administrator's
    expect(await submit(member, member.address, group, 'x')).toMatch(
      /^554 5\.7\.1 .*only authorised senders/,
    );
    expect(await submit(member, admin.address, group, 'x')).toMatch(/^553 5\.7\.1|^554 5\.7\.1/);
  });

  it('when the issued password must be changed first, then submission refuses the login’s mail naming the page', async () => {
    const box = await t.createMailbox('sub-must', { passwordChangeRequired: true });
    const other = await t.createMailbox('sub-other');
    expect(await submit(box, box.address, other.address, 'x')).toMatch(
      /^554 5\.7\.1 .*SASL login name rejected: .*\/doi-mat-khau/,
    );
  });
});
