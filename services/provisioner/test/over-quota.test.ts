// Over-quota mail is refused at RCPT time by Postfix (Dovecot's quota-status policy service),
// so the sending server keeps the message and tells its user; nothing is accepted and bounced.
// The quota comes from the provisioner's commands: a set_quota takes effect for the next delivery.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ProvisioningCommand } from '@hopthu/shared/events';
import { waitFor } from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';
import {
  buildCommand,
  env,
  hashPassword,
  newPassword,
  sendTestMail,
  TEST_DOMAIN,
  uniqueAddress,
  useProvisioner,
} from './helpers.ts';
import { openSmtp, type SmtpReply } from './smtp-dialogue.ts';

const t = useProvisioner();

const apply = (command: ProvisioningCommand, n: number) => t.apply(command, n);

/** EHLO, MAIL FROM (with an optional declared SIZE) and RCPT TO: the server's answer to RCPT. */
async function rcptAnswer(to: string, declaredSize?: number): Promise<SmtpReply> {
  const smtp = await openSmtp(env.smtpHost, env.smtpPort);
  try {
    expect((await smtp.command('EHLO quota-test.local')).code).toBe(250);
    const size = declaredSize === undefined ? '' : ` SIZE=${declaredSize}`;
    expect((await smtp.command(`MAIL FROM:<sender@${TEST_DOMAIN}>${size}`)).code).toBe(250);
    return await smtp.command(`RCPT TO:<${to}>`);
  } finally {
    await smtp.close();
  }
}

async function messagesOnDisk(address: string): Promise<number> {
  const [local, domain] = address.split('@') as [string, string];
  const dir = path.join(env.vmailRoot, domain, local, 'Maildir');
  let n = 0;
  for (const sub of ['new', 'cur']) n += (await readdir(path.join(dir, sub)).catch(() => [])).length;
  return n;
}

describe('over-quota mail is refused at RCPT time', () => {
  it('when a message declares a size beyond the quota, then RCPT is refused with 552 5.2.2', async () => {
    const address = uniqueAddress('quota');
    const create = buildCommand({
      address,
      passwordHash: await hashPassword(newPassword()),
      quotaBytes: 64 * 1024,
    });
    expect(await apply(create, 1)).toMatchObject({ outcome: 'applied' });

    expect((await rcptAnswer(address, 10 * 1024)).code).toBe(250);
    const refused = await rcptAnswer(address, 1024 * 1024);
    expect(refused.code).toBe(552);
    expect(refused.text).toMatch(/5\.2\.2 .*Mailbox is full/);
  });

  it('when set_quota lowers the quota below what the mailbox holds, then the next RCPT is refused (no bounce)', async () => {
    const address = uniqueAddress('quotafull');
    const create = buildCommand({
      address,
      passwordHash: await hashPassword(newPassword()),
      quotaBytes: 10 * 1024 * 1024,
    });
    expect(await apply(create, 1)).toMatchObject({ outcome: 'applied' });

    // fill it: one ordinary message delivered while the quota is large
    await sendTestMail(address, 'filler');
    await waitFor(async () => (await messagesOnDisk(address)) === 1, {
      timeoutMs: 20_000,
      what: 'the filler message delivered',
    });
    expect((await rcptAnswer(address)).code).toBe(250);

    const lower = buildCommand({
      address,
      mailboxId: create.mailboxId,
      action: 'set_quota',
      generation: 2,
      quotaBytes: 100, // the filler alone is several hundred bytes
    });
    expect(await apply(lower, 2)).toMatchObject({ outcome: 'applied', action: 'set_quota' });

    // without a declared size too: the mailbox is already over its quota
    const refused = await rcptAnswer(address);
    expect(refused.code).toBeGreaterThanOrEqual(400);
    expect(refused.code).toBe(552);
    expect(refused.text).toMatch(/Mailbox is full/);
    expect(await messagesOnDisk(address)).toBe(1);

    // raising it again accepts mail at once
    const raise = buildCommand({
      address,
      mailboxId: create.mailboxId,
      action: 'set_quota',
      generation: 3,
      quotaBytes: 10 * 1024 * 1024,
    });
    expect(await apply(raise, 3)).toMatchObject({ outcome: 'applied' });
    expect((await rcptAnswer(address)).code).toBe(250);
  });
});
