// Aliases and group addresses (set_alias / remove_alias commands): a group expands to its members
// through Postfix virtual_alias_maps on vmail, and a group with allowedSenders (Đắk Nông's
// internal@ and internal.<agency>@: administrators only) refuses every other sender at RCPT time.
import { randomBytes, randomUUID } from 'node:crypto';
import type { ProvisioningCommand } from '@hopthu/shared/events';
import { waitFor } from '@hopthu/shared/testing';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import {
  buildCommand,
  commandEvent,
  env,
  inboxSubjects,
  queryVmail,
  TEST_DOMAIN,
  uniqueAddress,
  useProvisioner,
} from './helpers.ts';
import { openSmtp } from './smtp-dialogue.ts';

const t = useProvisioner();

const apply = (command: ProvisioningCommand, n: number) => t.apply(command, n);

const member = (tag: string) => t.createMailbox(tag);

async function rcpt(from: string, to: string) {
  const smtp = await openSmtp(env.smtpHost, env.smtpPort);
  try {
    await smtp.command('EHLO groups-test.local');
    expect((await smtp.command(`MAIL FROM:<${from}>`)).code).toBe(250);
    return await smtp.command(`RCPT TO:<${to}>`);
  } finally {
    await smtp.close();
  }
}

async function sendFrom(from: string, to: string, subject: string) {
  const transport = nodemailer.createTransport({
    host: env.smtpHost,
    port: env.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  try {
    await transport.sendMail({ from, to, subject, text: 'group mail' });
  } finally {
    transport.close();
  }
}

describe('group addresses', () => {
  it('when a restricted group is set, then an allowed sender reaches every member and any other sender is refused at RCPT', async () => {
    const members = [await member('gm1'), await member('gm2'), await member('gm3')];
    const admin = `admin.${randomBytes(4).toString('hex')}@${TEST_DOMAIN}`;
    const group = `internal.${randomBytes(4).toString('hex')}@${TEST_DOMAIN}`;
    const groupId = randomUUID();
    const set = buildCommand({
      address: group,
      mailboxId: groupId,
      action: 'set_alias',
      aliasTargets: members.map((m) => m.address),
      allowedSenders: [admin.toUpperCase()],
    });
    expect(await apply(set, 1)).toMatchObject({ outcome: 'applied', action: 'set_alias' });
    const [row] = await queryVmail<{ goto: string; senders_restricted: boolean }>(
      'SELECT goto, senders_restricted FROM alias WHERE address = $1',
      [group],
    );
    expect(row).toMatchObject({ senders_restricted: true });
    expect(row?.goto.split(',').sort()).toEqual(members.map((m) => m.address).sort());

    const subject = `to the group ${randomBytes(3).toString('hex')}`;
    await sendFrom(admin, group, subject);
    for (const m of members) {
      await waitFor(async () => (await inboxSubjects(m.address, m.password)).includes(subject), {
        timeoutMs: 20_000,
        what: `group mail in ${m.address}`,
      });
    }

    const refused = await rcpt(`someone@${TEST_DOMAIN}`, group);
    expect(refused.code).toBe(554);
    expect(refused.text).toMatch(/5\.7\.1 .*only authorised senders/);
    expect((await rcpt('', group)).code).toBe(554); // bounces cannot reach a restricted group
    // a member's own address stays open to anyone
    expect((await rcpt(`someone@${TEST_DOMAIN}`, members[0]!.address)).code).toBe(250);

    // replaying the command changes nothing
    await t.bus.publish(commandEvent({ ...set, commandId: randomUUID() }));
    expect(await t.bus.waitForResult(groupId, 2)).toMatchObject({ outcome: 'skipped' });
  });

  it('when a group is opened, narrowed and removed, then RCPT follows each change', async () => {
    const a = await member('ga');
    const b = await member('gb');
    const group = `internal.${randomBytes(4).toString('hex')}@${TEST_DOMAIN}`;
    const groupId = randomUUID();
    const other = `someone@${TEST_DOMAIN}`;
    const cmd = (generation: number, extra: Partial<ProvisioningCommand>) =>
      buildCommand({ address: group, mailboxId: groupId, action: 'set_alias', generation, ...extra });

    // nobody may send (present and empty)
    expect(await apply(cmd(1, { aliasTargets: [a.address], allowedSenders: [] }), 1)).toMatchObject({
      outcome: 'applied',
    });
    expect((await rcpt(other, group)).code).toBe(554);

    // an unrestricted alias with two targets: anyone may send
    expect(await apply(cmd(2, { aliasTargets: [a.address, b.address] }), 2)).toMatchObject({
      outcome: 'applied',
    });
    expect((await rcpt(other, group)).code).toBe(250);

    // an older command arriving late is skipped
    expect(await apply(cmd(1, { aliasTargets: [a.address], allowedSenders: [] }), 3)).toMatchObject({
      outcome: 'skipped',
    });
    expect((await rcpt(other, group)).code).toBe(250);

    // removed: the address no longer exists
    expect(await apply(cmd(4, { action: 'remove_alias' }), 4)).toMatchObject({ outcome: 'applied' });
    expect((await rcpt(other, group)).code).toBe(550);
    expect(await queryVmail('SELECT 1 FROM group_sender WHERE group_address = $1', [group])).toEqual([]);
  });

  it('when set_alias has no target or targets a mailbox address, then it fails permanently with a reason', async () => {
    const groupId = randomUUID();
    const group = `internal.${randomBytes(4).toString('hex')}@${TEST_DOMAIN}`;
    const noTarget = buildCommand({
      address: group,
      mailboxId: groupId,
      action: 'set_alias',
      aliasTargets: [],
    });
    expect(await apply(noTarget, 1)).toMatchObject({
      outcome: 'failed',
      error: expect.stringMatching(/aliasTargets/),
    });

    const box = await member('gbox');
    const onMailbox = buildCommand({
      address: box.address,
      mailboxId: randomUUID(),
      action: 'set_alias',
      aliasTargets: [uniqueAddress('elsewhere')],
    });
    expect(await apply(onMailbox, 1)).toMatchObject({
      outcome: 'failed',
      error: expect.stringMatching(/is a mailbox/),
    });
  });
});
