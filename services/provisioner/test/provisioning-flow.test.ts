// End to end on the real stack: commands published to Kafka, applied by the running provisioner to
// Dovecot/Postfix, checked with a real IMAP client and SMTP, results read from the results topic.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ProvisioningCommand } from '@hopthu/shared/events';
import { waitFor } from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';
import {
  admin,
  buildCommand,
  canLogin,
  commandEvent,
  env,
  hashPassword,
  inboxSubjects,
  newPassword,
  openSession,
  queryVmail,
  sendTestMail,
  uniqueAddress,
  useProvisioner,
} from './helpers.ts';

const t = useProvisioner();
const api = admin();

const apply = (command: ProvisioningCommand, n: number) => t.apply(command, n);

async function createdMailbox(tag: string) {
  const address = uniqueAddress(tag);
  const password = newPassword();
  const create = buildCommand({
    address,
    passwordHash: await hashPassword(password),
    quotaBytes: 50 * 1024 * 1024,
  });
  const result = await apply(create, 1);
  expect(result).toMatchObject({
    outcome: 'applied',
    action: 'create',
    commandId: create.commandId,
    attempts: 1,
  });
  const next = (
    action: ProvisioningCommand['action'],
    generation: number,
    extra: Partial<ProvisioningCommand> = {},
  ) =>
    buildCommand({
      address,
      mailboxId: create.mailboxId,
      action,
      generation,
      requestId: create.requestId,
      ...extra,
    });
  return { address, password, mailboxId: create.mailboxId, create, next };
}

describe('provisioning commands on the real mail server', () => {
  it('when a create command is applied, then the mailbox logs in over IMAP and receives mail over SMTP', async () => {
    const box = await createdMailbox('create');
    expect(await canLogin(box.address, box.password)).toBe(true);
    const result = t.bus.results(box.mailboxId)[0];
    expect(result).toMatchObject({
      mailboxId: box.mailboxId,
      address: box.address,
      generation: 1,
      requestId: box.create.requestId,
      itemId: box.create.itemId,
    });
    await sendTestMail(box.address, 'xin chào');
    await waitFor(async () => (await inboxSubjects(box.address, box.password)).includes('xin chào'), {
      what: 'mail in the new mailbox',
    });
  });

  it('when the password is set, then the old password is refused and the new one works', async () => {
    const box = await createdMailbox('password');
    const next = newPassword();
    const r = await apply(box.next('set_password', 2, { passwordHash: await hashPassword(next) }), 2);
    expect(r).toMatchObject({ outcome: 'applied', action: 'set_password', generation: 2 });
    expect(await canLogin(box.address, next)).toBe(true);
    expect(await canLogin(box.address, box.password)).toBe(false);
  });

  it('when suspended, then logins are refused and an open IMAP session is ended; when restored, then it logs in and its mail is still there', async () => {
    const box = await createdMailbox('suspend');
    await sendTestMail(box.address, 'before suspension');
    await waitFor(
      async () => (await inboxSubjects(box.address, box.password)).includes('before suspension'),
      {
        what: 'mail delivered',
      },
    );
    const session = await openSession(box.address, box.password);
    try {
      const r = await apply(box.next('suspend', 2), 2);
      expect(r).toMatchObject({ outcome: 'applied', action: 'suspend' });
      await waitFor(async () => session.isClosed(), {
        timeoutMs: 10_000,
        what: 'the open session to be kicked',
      });
      expect(await canLogin(box.address, box.password)).toBe(false);
    } finally {
      await session.close();
    }
    const restored = await apply(box.next('restore', 3), 3);
    expect(restored).toMatchObject({ outcome: 'applied', action: 'restore' });
    expect(await canLogin(box.address, box.password)).toBe(true);
    expect(await inboxSubjects(box.address, box.password)).toContain('before suspension');
  });

  it('when the quota is set, then vmail holds the new limit', async () => {
    const box = await createdMailbox('quota');
    await apply(box.next('set_quota', 2, { quotaBytes: 1024 * 1024 }), 2);
    const [row] = await queryVmail<{ quota_bytes: string }>(
      'SELECT quota_bytes FROM mailbox WHERE username = $1',
      [box.address],
    );
    expect(Number(row?.quota_bytes)).toBe(1024 * 1024);
  });

  it('when deleted, then login is refused, the row is gone and the maildir is moved into retention', async () => {
    const box = await createdMailbox('delete');
    await sendTestMail(box.address, 'to be retained');
    await waitFor(async () => (await inboxSubjects(box.address, box.password)).includes('to be retained'), {
      what: 'mail delivered',
    });
    const [localPart, domain] = box.address.split('@') as [string, string];
    const maildir = path.join(env.vmailRoot, domain, localPart);
    expect(existsSync(maildir)).toBe(true);

    const r = await apply(box.next('delete', 2), 2);
    expect(r).toMatchObject({ outcome: 'applied', action: 'delete' });
    expect(await canLogin(box.address, box.password)).toBe(false);
    expect(await queryVmail('SELECT 1 FROM mailbox WHERE username = $1', [box.address])).toHaveLength(0);
    expect(existsSync(maildir)).toBe(false);
    const day = new Date().toISOString().slice(0, 10);
    expect(existsSync(path.join(env.vmailRoot, '.retention', day, `${box.address}-g2`))).toBe(true);
  });

  it('when renamed, then the new address logs in with the same password and keeps its mail, and the old address forwards', async () => {
    const box = await createdMailbox('rename');
    await sendTestMail(box.address, 'before rename');
    await waitFor(async () => (await inboxSubjects(box.address, box.password)).includes('before rename'), {
      what: 'mail delivered',
    });
    const newAddress = uniqueAddress('renamed');
    const r = await apply(box.next('rename', 2, { newAddress }), 2);
    expect(r).toMatchObject({ outcome: 'applied', action: 'rename' });
    expect(await canLogin(newAddress, box.password)).toBe(true);
    expect(await inboxSubjects(newAddress, box.password)).toContain('before rename');
    const [alias] = await queryVmail<{ goto: string; expires_at: Date | null }>(
      'SELECT goto, expires_at FROM alias WHERE address = $1',
      [box.address],
    );
    expect(alias?.goto).toBe(newAddress);
    expect(alias?.expires_at?.getTime()).toBeGreaterThan(Date.now());
    await sendTestMail(box.address, 'to the old address');
    await waitFor(
      async () => (await inboxSubjects(newAddress, box.password)).includes('to the old address'),
      {
        what: 'mail to the old address forwarded',
      },
    );
  });

  it('when the same command arrives again (same event, or same command id under a new event id), then it is applied once and answered once', async () => {
    const box = await createdMailbox('dup');
    const next = newPassword();
    const cmd = box.next('set_password', 2, { passwordHash: await hashPassword(next) });
    const event = commandEvent(cmd);
    await t.bus.publish(event);
    await t.bus.publish(event); // Kafka redelivery: same event id
    await t.bus.publish(commandEvent(cmd)); // a re-publish: same command id, new event id
    await t.bus.waitForResult(box.mailboxId, 2);
    // a later command proves the duplicates were consumed before it
    const marker = await apply(box.next('set_quota', 3, { quotaBytes: 0 }), 3);
    expect(marker.action).toBe('set_quota');
    const results = t.bus.results(box.mailboxId);
    expect(results.filter((r) => r.commandId === cmd.commandId)).toHaveLength(1);
    expect(await canLogin(box.address, next)).toBe(true);
  });

  it('when an older command arrives after a newer one, then it changes nothing and is answered skipped', async () => {
    const box = await createdMailbox('stale');
    await apply(box.next('suspend', 3), 2);
    const stale = await apply(box.next('restore', 2), 3);
    expect(stale).toMatchObject({ outcome: 'skipped', action: 'restore', generation: 2 });
    expect(await canLogin(box.address, box.password)).toBe(false);
    // a create replayed after a delete does not bring the mailbox back
    await apply(box.next('delete', 4), 4);
    const replayedCreate = await apply(
      // another command id (one that already ends in f would be the same id, answered once only)
      { ...box.create, commandId: box.create.commandId.replace(/.$/, (c) => (c === 'f' ? 'e' : 'f')) },
      5,
    );
    expect(replayedCreate.outcome).toBe('skipped');
    expect(await queryVmail('SELECT 1 FROM mailbox WHERE username = $1', [box.address])).toHaveLength(0);
  });

  it('when a command can never succeed, then it is dead-lettered with a failed result and can be replayed', async () => {
    const address = `t${Date.now()}.Bad Address@provtest.gov.vn`;
    const cmd = buildCommand({ address, domain: 'provtest.gov.vn', passwordHash: await hashPassword('x') });
    await t.bus.publish(commandEvent(cmd));
    const result = await t.bus.waitForResult(cmd.mailboxId, 1);
    expect(result).toMatchObject({ outcome: 'failed', commandId: cmd.commandId, itemId: cmd.itemId });
    expect(result.error).toMatch(/invalid mail address/);

    type DeadLetterList = {
      deadLetters: { id: string; commandId: string; error: string; attempts: number }[];
    };
    const list = await api<DeadLetterList>('GET', `/admin/dead-letters?commandId=${cmd.commandId}`);
    expect(list.status).toBe(200);
    expect(list.body.deadLetters).toHaveLength(1);
    const dl = list.body.deadLetters[0]!;
    expect(dl.error).toMatch(/invalid mail address/);
    // Operators find it by the address it was for, and see that address and the action, not only ids.
    const byAddress = await api<DeadLetterList & { total: number }>(
      'GET',
      `/admin/dead-letters?address=${encodeURIComponent(address.toUpperCase())}`,
    );
    expect(byAddress.body.total).toBe(1);
    expect(byAddress.body.deadLetters[0]).toMatchObject({ id: dl.id, address, action: 'create' });
    // the original message went to the dead-letter topic, with the error and attempts in headers
    const published = await waitFor(async () => t.bus.deadLetters(cmd.mailboxId)[0], {
      what: 'dead-letter message',
    });
    expect(JSON.parse(published.value).data.commandId).toBe(cmd.commandId);
    expect(published.headers['x-dead-letter-error']).toMatch(/invalid mail address/);
    expect(published.headers['x-dead-letter-attempts']).toBe('1');

    const detail = await api<{ payload: { data: { passwordHash: string } } }>(
      'GET',
      `/admin/dead-letters/${dl.id}`,
    );
    expect(detail.body.payload.data.passwordHash).toBe('[redacted]');

    const replay = await api<{ replayEventId: string }>('POST', `/admin/dead-letters/${dl.id}/replay`);
    expect(replay.status).toBe(202);
    // the inbox parked the same message before it was dead-lettered: this replay closed that record too
    const full = await api<{ topic: string; partition: number; offset: string }>(
      'GET',
      `/admin/dead-letters/${dl.id}`,
    );
    const parked = await api<{ parkedEvents: { topic: string; partition: number; offset: string }[] }>(
      'GET',
      '/admin/parked-events?state=replayed&limit=500',
    );
    expect(
      parked.body.parkedEvents.find(
        (p) =>
          p.topic === full.body.topic &&
          p.partition === full.body.partition &&
          p.offset === String(full.body.offset),
      ),
    ).toMatchObject({ replayOutcome: 'republished', replayedBy: `dead-letter:${dl.id}` });
    // the replay is a new event for the same (still invalid) command: it fails and is dead-lettered again
    const again = await t.bus.waitForResult(cmd.mailboxId, 2);
    expect(again.outcome).toBe('failed');
    const after = await api<DeadLetterList>('GET', `/admin/dead-letters?commandId=${cmd.commandId}`);
    expect(after.body.deadLetters).toHaveLength(2);
  });

  it('when a message is not a valid event, then it is dead-lettered and the consumer moves on', async () => {
    const key = `garbage-${Date.now()}`;
    await t.bus.publishRaw(key, '{"not":"an event"}');
    const box = await createdMailbox('after-garbage');
    expect(box.mailboxId).toBeTruthy();
    type DeadLetterList = { deadLetters: { key: string | null; error: string }[] };
    const dl = await waitFor(async () => {
      const list = await api<DeadLetterList>('GET', '/admin/dead-letters?limit=200');
      return list.body.deadLetters.find((d) => d.key === key);
    });
    expect(dl.error).toMatch(/invalid provisioning command/);
  });

  it('when the admin API is called without the token, then it answers 401', async () => {
    const res = await fetch(`${env.provisionerUrl}/admin/dead-letters`);
    expect(res.status).toBe(401);
  });
});
