// A deleted mailbox given back from retention on the real mail server (restore_deleted): its row
// written again under a new issued password and its maildir moved back from `.retention/<day>/`,
// so the old mail reads over IMAP with the new credential (and not with the old password); a
// redelivered command changes nothing; an address another mailbox holds is refused. First with the
// adapter (a retention area of the test's own), then through the running provisioner's commands.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PermanentError } from '@hopthu/shared/inbox';
import { describe, expect, it } from 'vitest';
import { listRetention } from '../src/domain/retention/list-retention.ts';
import {
  admin,
  buildCommand,
  canLogin,
  commandEvent,
  deliverMail,
  hashPassword,
  inboxSources,
  newPassword,
  queryVmail,
  TEST_DOMAIN,
  uniqueAddress,
  useProvisioner,
  clockedAdapter,
} from './helpers.ts';

describe('restoring a deleted mailbox with the adapter', () => {
  it('when a deleted mailbox with mail is restored, then its old mail reads with the new password, once', async () => {
    const { clock, retentionDir, adapter } = await clockedAdapter('provisioner-restore-');
    try {
      const address = uniqueAddress('restored');
      const oldPassword = newPassword();
      const created = await adapter.createMailbox({
        address,
        domain: TEST_DOMAIN,
        generation: 1,
        passwordHash: await hashPassword(oldPassword),
        quotaBytes: 0,
      });
      expect(created.outcome).toBe('applied');
      const subject = `kept ${randomBytes(4).toString('hex')}`; // short ASCII: the body is not re-encoded
      await deliverMail(address, oldPassword, subject);
      expect((await adapter.deleteMailbox({ address, generation: 2 })).outcome).toBe('applied');
      const [retained] = (await listRetention({ adapter, clock, retentionDays: 30 })).entries;
      expect(retained?.address).toBe(address);
      expect(await canLogin(address, oldPassword)).toBe(false);

      const newPasswordText = newPassword();
      const restore = {
        address,
        domain: TEST_DOMAIN,
        generation: 3,
        passwordHash: await hashPassword(newPasswordText),
        quotaBytes: 1_000_000,
      };
      const done = await adapter.restoreDeletedMailbox(restore);
      expect(done.outcome).toBe('applied');
      expect(existsSync(retained?.location ?? '/')).toBe(false);
      expect((await listRetention({ adapter, clock, retentionDays: 30 })).entries).toEqual([]);
      expect(await adapter.getMailbox(address)).toMatchObject({
        active: true,
        generation: 3,
        quotaBytes: 1_000_000,
      });

      const mail = await inboxSources(address, newPasswordText);
      expect(mail).toHaveLength(1);
      expect(mail[0]).toContain(`test mail: ${subject}`);
      expect(await canLogin(address, oldPassword)).toBe(false);

      // redelivered: the row already holds this generation, nothing moves again
      expect(await adapter.restoreDeletedMailbox(restore)).toMatchObject({
        outcome: 'skipped',
        current: true,
      });
      expect(await inboxSources(address, newPasswordText)).toHaveLength(1);

      // a mailbox holding the address is never overwritten by a restore
      await expect(adapter.restoreDeletedMailbox({ ...restore, generation: 4 })).rejects.toBeInstanceOf(
        PermanentError,
      );
      expect(await canLogin(address, newPasswordText)).toBe(true);
      await adapter.deleteMailbox({ address, generation: 5 });
    } finally {
      await adapter.close();
      await rm(retentionDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('restoring a deleted mailbox through the running provisioner', () => {
  const t = useProvisioner();

  it('when restore_deleted follows a delete, then the result is applied once and the old mail is back', async () => {
    const box = await t.createMailbox('restorecmd');
    const subject = `kept ${randomBytes(4).toString('hex')}`;
    await deliverMail(box.address, box.password, subject);
    const del = buildCommand({
      address: box.address,
      mailboxId: box.mailboxId,
      action: 'delete',
      generation: 2,
    });
    expect(await t.apply(del, 2)).toMatchObject({ outcome: 'applied' });
    const listing = await admin()<{ entries: { address: string; location: string }[] }>(
      'GET',
      '/admin/retention',
    );
    const retained = listing.body.entries.find((e) => e.address === box.address);
    expect(retained).toBeDefined();

    const password = newPassword();
    const restore = buildCommand({
      address: box.address,
      mailboxId: box.mailboxId,
      action: 'restore_deleted',
      generation: 3,
      passwordHash: await hashPassword(password),
      quotaBytes: 0,
    });
    const event = commandEvent(restore);
    await t.bus.publish(event);
    expect(await t.bus.waitForResult(box.mailboxId, 3)).toMatchObject({
      action: 'restore_deleted',
      outcome: 'applied',
      generation: 3,
    });
    expect(existsSync(retained?.location ?? '/')).toBe(false);
    const mail = await inboxSources(box.address, password);
    expect(mail.some((m) => m.includes(`test mail: ${subject}`))).toBe(true);

    // the same event again, and the same command under another event id: no second result
    await t.bus.publish(event);
    await t.bus.publish(commandEvent(restore));
    const marker = buildCommand({
      address: box.address,
      mailboxId: box.mailboxId,
      action: 'suspend',
      generation: 4,
    });
    expect(await t.apply(marker, 4)).toMatchObject({ action: 'suspend', outcome: 'applied' });
    expect(t.bus.results(box.mailboxId).filter((r) => r.action === 'restore_deleted')).toHaveLength(1);
    const rows = await queryVmail<{ generation: string }>(
      'SELECT generation FROM mailbox WHERE username = $1',
      [box.address],
    );
    expect(rows.map((r) => Number(r.generation))).toEqual([4]);
  }, 90_000);
});
