// Retention of deleted mail on the real mail server: a deleted mailbox's maildir is held in the
// retention area under its deletion day and removed only once the configured period has passed.
// First with the adapter and an injected clock, then through the running provisioner's commands
// and admin routes, with day folders the test dates itself.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRetention, type RetentionEntry } from '../src/domain/retention/list-retention.ts';
import { purgeRetention } from '../src/domain/retention/purge-retention.ts';
import { addDays, utcDay } from '../src/domain/retention/retention-dates.ts';
import {
  admin,
  type Bus,
  buildCommand,
  commandEvent,
  connectBus,
  deliverMail,
  ensureProvisioner,
  env,
  hashPassword,
  logger,
  newPassword,
  type ProvisionerProcess,
  TEST_DOMAIN,
  uniqueAddress,
  clockedAdapter,
} from './helpers.ts';

describe('retention with an injected clock', () => {
  it('when a mailbox with mail is deleted, then its mail is kept through the period and removed the day after', async () => {
    const { clock, retentionDir, adapter } = await clockedAdapter('provisioner-retention-');
    const deps = { adapter, clock, retentionDays: 30, logger };
    try {
      const address = uniqueAddress('retained');
      const password = newPassword();
      await adapter.createMailbox({
        address,
        domain: TEST_DOMAIN,
        generation: 1,
        passwordHash: await hashPassword(password),
        quotaBytes: 0,
      });
      await deliverMail(address, password, 'mail that must survive the delete');
      const deletedAt = clock.now();
      expect((await adapter.deleteMailbox({ address, generation: 2 })).outcome).toBe('applied');

      const deletedOn = utcDay(deletedAt);
      const { entries } = await listRetention(deps);
      expect(entries).toEqual([
        {
          address,
          generation: 2,
          deletedOn,
          purgeOn: addDays(deletedOn, 31),
          due: false,
          location: path.join(retentionDir, deletedOn, `${address}-g2`),
        },
      ]);
      const location = entries[0]?.location ?? '';
      expect(existsSync(path.join(location, 'Maildir', 'cur'))).toBe(true);

      // the last day of the period: nothing goes
      clock.set(new Date(Date.parse(`${addDays(deletedOn, 30)}T23:59:00Z`)));
      expect((await purgeRetention(deps)).purged).toEqual([]);
      expect(existsSync(location)).toBe(true);

      // the day after: the mail is removed for good
      clock.set(new Date(Date.parse(`${addDays(deletedOn, 31)}T00:00:00Z`)));
      expect((await listRetention(deps)).entries[0]?.due).toBe(true);
      const purged = await purgeRetention(deps);
      expect(purged.purged.map((r) => r.address)).toEqual([address]);
      expect(existsSync(location)).toBe(false);
      expect((await listRetention(deps)).entries).toEqual([]);
    } finally {
      await adapter.close();
      await rm(retentionDir, { recursive: true, force: true });
    }
  });
});

describe('retention through the running provisioner', () => {
  const api = admin();
  let provisioner: ProvisionerProcess;
  let bus: Bus;
  const made: string[] = [];

  beforeAll(async () => {
    provisioner = await ensureProvisioner();
    bus = await connectBus();
  });
  afterAll(async () => {
    for (const p of made) await rm(p, { recursive: true, force: true });
    await bus?.close();
    await provisioner?.stop();
  });

  type Listing = { retentionDays: number; entries: RetentionEntry[] };

  it('when a mailbox is deleted, then the admin API lists it in retention, and a purge removes only what is past its period', async () => {
    const password = newPassword();
    const create = buildCommand({
      address: uniqueAddress('retainedhttp'),
      passwordHash: await hashPassword(password),
      quotaBytes: 0,
    });
    await bus.publish(commandEvent(create));
    expect(await bus.waitForResult(create.mailboxId)).toMatchObject({ outcome: 'applied' });
    await deliverMail(create.address, password, 'held after delete');
    const del = buildCommand({
      address: create.address,
      mailboxId: create.mailboxId,
      action: 'delete',
      generation: 2,
    });
    await bus.publish(commandEvent(del));
    expect(await bus.waitForResult(create.mailboxId, 2)).toMatchObject({ outcome: 'applied' });

    const listing = await api<Listing>('GET', '/admin/retention');
    expect(listing.status).toBe(200);
    const days = listing.body.retentionDays;
    const today = utcDay(new Date());
    const mine = listing.body.entries.find((e) => e.address === create.address);
    expect(mine).toMatchObject({
      generation: 2,
      deletedOn: today,
      purgeOn: addDays(today, days + 1),
      due: false,
    });
    const retentionDir = path.dirname(path.dirname(mine?.location ?? '/'));

    // two mailboxes "deleted" long ago: one a day past the period, one on its last day
    const tag = randomBytes(4).toString('hex');
    const old = path.join(retentionDir, addDays(today, -days - 1), `t${tag}.old@${TEST_DOMAIN}-g3`);
    const edge = path.join(retentionDir, addDays(today, -days), `t${tag}.edge@${TEST_DOMAIN}-g3`);
    for (const dir of [old, edge]) {
      await mkdir(path.join(dir, 'Maildir', 'cur'), { recursive: true });
      await writeFile(
        path.join(dir, 'Maildir', 'cur', `${Date.now()}.test:2,S`),
        'Subject: old\n\nold mail\n',
      );
      made.push(dir);
    }
    const before = (await api<Listing>('GET', '/admin/retention')).body.entries;
    expect(before.find((e) => e.location === old)).toMatchObject({ due: true, purgeOn: today });
    expect(before.find((e) => e.location === edge)).toMatchObject({ due: false });

    const purge = await api<{ deletedBefore: string; purged: { location: string }[] }>(
      'POST',
      '/admin/retention/purge',
    );
    expect(purge.status).toBe(200);
    expect(purge.body.deletedBefore).toBe(addDays(today, -days));
    expect(purge.body.purged.map((p) => p.location)).toContain(old);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(edge)).toBe(true);
    const after = (await api<Listing>('GET', '/admin/retention')).body.entries.map((e) => e.address);
    expect(after).toContain(create.address);
    expect(after).toContain(`t${tag}.edge@${TEST_DOMAIN}`);
    expect(after).not.toContain(`t${tag}.old@${TEST_DOMAIN}`);
  });

  it('when the admin token is missing, then the retention routes refuse', async () => {
    expect((await fetch(`${env.provisionerUrl}/admin/retention`)).status).toBe(401);
    expect((await fetch(`${env.provisionerUrl}/admin/retention/purge`, { method: 'POST' })).status).toBe(401);
  });
});
