// The contract every MailServerAdapter must pass, whatever the mail server behind it: the seven
// actions, idempotency by generation, and permanent errors for what can never succeed. Observable
// effects are checked through the adapter's getMailbox and a real login supplied by the harness.
// Use: describeMailServerAdapterContract('dovecot', async () => ({ adapter, domain, canLogin, deliver, close })).
// Run it against a test server: the retention case purges what the server retained before tomorrow.
import { PermanentError } from '@hopthu/shared/inbox';
import { waitFor } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AliasSnapshot, MailServerAdapter } from '../src/domain/mail-server-adapter.ts';
import { hashPassword, newPassword } from './helpers.ts';

export interface AdapterHarness {
  adapter: MailServerAdapter;
  /** A domain the tests may create mailboxes in. */
  domain: string;
  /** True when the mailbox accepts this password at the mail server's front door. */
  canLogin(address: string, password: string): Promise<boolean>;
  /** Delivers a message to the mailbox and resolves once it is stored there. */
  deliver(address: string, password: string, subject: string): Promise<void>;
  close(): Promise<void>;
}

export function describeMailServerAdapterContract(name: string, makeHarness: () => Promise<AdapterHarness>) {
  describe(`MailServerAdapter contract: ${name}`, () => {
    let h: AdapterHarness;
    let seq = 0;
    const address = (tag: string) =>
      `c${Date.now().toString(36)}${(++seq).toString(36)}${Math.random().toString(36).slice(2, 6)}.${tag}@${h.domain}`;

    async function created(tag: string, generation = 1) {
      const a = address(tag);
      const password = newPassword();
      const r = await h.adapter.createMailbox({
        address: a,
        domain: h.domain,
        generation,
        passwordHash: await hashPassword(password),
        quotaBytes: 10 * 1024 * 1024,
      });
      expect(r.outcome).toBe('applied');
      return { address: a, password };
    }

    beforeAll(async () => {
      h = await makeHarness();
    });
    afterAll(async () => {
      await h?.close();
    });

    it('when a mailbox is created, then it exists, active, with its quota and generation, and can log in', async () => {
      const box = await created('create');
      expect(await h.adapter.getMailbox(box.address)).toMatchObject({
        address: box.address,
        domain: h.domain,
        active: true,
        quotaBytes: 10 * 1024 * 1024,
        generation: 1,
      });
      expect(await h.canLogin(box.address, box.password)).toBe(true);
    });

    it('when create is repeated with the same or an older generation, then it is skipped and changes nothing', async () => {
      const box = await created('recreate', 2);
      const again = await h.adapter.createMailbox({
        address: box.address,
        domain: h.domain,
        generation: 2,
        passwordHash: await hashPassword('other-password-1A!'),
        quotaBytes: 1,
      });
      const older = await h.adapter.createMailbox({
        address: box.address,
        domain: h.domain,
        generation: 1,
        passwordHash: await hashPassword('other-password-1A!'),
        quotaBytes: 1,
      });
      expect([again.outcome, older.outcome]).toEqual(['skipped', 'skipped']);
      expect((await h.adapter.getMailbox(box.address))?.quotaBytes).toBe(10 * 1024 * 1024);
      expect(await h.canLogin(box.address, box.password)).toBe(true);
    });

    it('when mailboxes are created in one batch, then each answers as createMailbox would: new ones applied and able to log in, a repeat skipped, an older generation changing nothing', async () => {
      const createMailboxes = h.adapter.createMailboxes?.bind(h.adapter);
      if (!createMailboxes) return; // optional: a bulk is then created one by one
      const existing = await created('batch-existing', 3);
      const fresh = [address('batch-a'), address('batch-b')];
      const password = newPassword();
      const hash = await hashPassword(password);
      const input = (a: string, generation: number) => ({
        address: a,
        domain: h.domain,
        generation,
        passwordHash: hash,
        quotaBytes: 5 * 1024 * 1024,
      });
      const first = await createMailboxes([
        input(fresh[0] ?? '', 1),
        input(fresh[1] ?? '', 1),
        input(existing.address, 2),
      ]);
      expect(first.map((r) => [r.outcome, r.current ?? false])).toEqual([
        ['applied', false],
        ['applied', false],
        ['skipped', false],
      ]);
      const again = await createMailboxes([input(fresh[0] ?? '', 1), input(existing.address, 3)]);
      expect(again.map((r) => [r.outcome, r.current ?? false])).toEqual([
        ['skipped', true],
        ['skipped', true],
      ]);
      expect(await h.canLogin(fresh[1] ?? '', password)).toBe(true);
      expect(await h.canLogin(existing.address, existing.password)).toBe(true);
      expect((await h.adapter.getMailbox(existing.address))?.quotaBytes).toBe(10 * 1024 * 1024);
      await expect(
        createMailboxes([input(address('batch-bad').replace('@', '@@'), 1)]),
      ).rejects.toBeInstanceOf(PermanentError);
    });

    it('when the password is set, then only the new one works; an older set_password changes nothing', async () => {
      const box = await created('password');
      const next = newPassword();
      const r = await h.adapter.setPassword({
        address: box.address,
        generation: 2,
        passwordHash: await hashPassword(next),
      });
      expect(r.outcome).toBe('applied');
      const stale = await h.adapter.setPassword({
        address: box.address,
        generation: 2,
        passwordHash: await hashPassword(box.password),
      });
      expect(stale.outcome).toBe('skipped');
      expect(await h.canLogin(box.address, next)).toBe(true);
      expect(await h.canLogin(box.address, box.password)).toBe(false);
    });

    it('when suspended, then login is refused; when restored, then it works again', async () => {
      const box = await created('suspend');
      expect((await h.adapter.suspendMailbox({ address: box.address, generation: 2 })).outcome).toBe(
        'applied',
      );
      expect(await h.adapter.getMailbox(box.address)).toMatchObject({ active: false, generation: 2 });
      expect(await h.canLogin(box.address, box.password)).toBe(false);
      // a stale restore (older than the suspend) must not reopen the mailbox
      expect((await h.adapter.restoreMailbox({ address: box.address, generation: 1 })).outcome).toBe(
        'skipped',
      );
      expect((await h.adapter.restoreMailbox({ address: box.address, generation: 3 })).outcome).toBe(
        'applied',
      );
      expect(await h.canLogin(box.address, box.password)).toBe(true);
    });

    it('when a mailbox logs in, then its last login is listed; a mailbox never used is not', async () => {
      const used = await created('login');
      const unused = await created('nologin');
      // the server may keep whole seconds only
      const before = Math.floor(Date.now() / 1000) * 1000;
      expect(await h.canLogin(used.address, used.password)).toBe(true);
      const login = await waitFor(
        async () =>
          (await h.adapter.listLastLogins({ domain: h.domain })).find((l) => l.address === used.address),
        { what: `last login of ${used.address}`, timeoutMs: 15_000 },
      );
      expect(login.lastLoginAt?.getTime()).toBeGreaterThanOrEqual(before);
      expect(login.lastLoginAt?.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      const all = await h.adapter.listLastLogins({ domain: h.domain });
      expect(all.some((l) => l.address === unused.address)).toBe(false);
    });

    it('when the quota is set, then the mailbox shows it; a stale one is skipped', async () => {
      const box = await created('quota');
      expect((await h.adapter.setQuota({ address: box.address, generation: 3, quotaBytes: 0 })).outcome).toBe(
        'applied',
      );
      expect((await h.adapter.setQuota({ address: box.address, generation: 2, quotaBytes: 5 })).outcome).toBe(
        'skipped',
      );
      expect(await h.adapter.getMailbox(box.address)).toMatchObject({ quotaBytes: 0, generation: 3 });
    });

    it('when deleted, then it is gone and cannot log in; deleting again succeeds', async () => {
      const box = await created('delete');
      expect((await h.adapter.deleteMailbox({ address: box.address, generation: 2 })).outcome).toBe(
        'applied',
      );
      expect(await h.adapter.getMailbox(box.address)).toBeNull();
      expect(await h.canLogin(box.address, box.password)).toBe(false);
      await expect(h.adapter.deleteMailbox({ address: box.address, generation: 2 })).resolves.toBeTruthy();
    });

    it('when a mailbox with mail is deleted, then its mail is held in retention under that day until a purge past that day', async () => {
      const box = await created('retain');
      await h.deliver(box.address, box.password, 'kept for the retention period');
      expect((await h.adapter.deleteMailbox({ address: box.address, generation: 2 })).outcome).toBe(
        'applied',
      );
      const today = new Date().toISOString().slice(0, 10);
      const held = (await h.adapter.listRetained()).filter((r) => r.address === box.address);
      expect(held).toEqual([
        { address: box.address, generation: 2, deletedOn: today, location: expect.any(String) },
      ]);
      // a repeated delete retains nothing twice
      await h.adapter.deleteMailbox({ address: box.address, generation: 2 });
      expect((await h.adapter.listRetained()).filter((r) => r.address === box.address)).toHaveLength(1);

      expect(
        (await h.adapter.purgeRetained({ deletedBefore: today })).filter((r) => r.address === box.address),
      ).toEqual([]);
      expect((await h.adapter.listRetained()).some((r) => r.address === box.address)).toBe(true);

      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const purged = await h.adapter.purgeRetained({ deletedBefore: tomorrow });
      expect(purged.filter((r) => r.address === box.address)).toEqual(held);
      expect((await h.adapter.listRetained()).some((r) => r.address === box.address)).toBe(false);
    });

    it('when a delete is older than the mailbox, then it is skipped and the mailbox stays', async () => {
      const box = await created('stale-delete', 3);
      expect((await h.adapter.deleteMailbox({ address: box.address, generation: 2 })).outcome).toBe(
        'skipped',
      );
      expect(await h.adapter.getMailbox(box.address)).not.toBeNull();
    });

    it('when renamed, then the mailbox moves to the new address with its password; a repeat is skipped', async () => {
      const box = await created('rename');
      const to = address('renamed');
      expect(
        (await h.adapter.renameMailbox({ address: box.address, newAddress: to, generation: 2 })).outcome,
      ).toBe('applied');
      expect(await h.adapter.getMailbox(box.address)).toBeNull();
      expect(await h.adapter.getMailbox(to)).toMatchObject({ address: to, generation: 2, active: true });
      expect(await h.canLogin(to, box.password)).toBe(true);
      expect(
        (await h.adapter.renameMailbox({ address: box.address, newAddress: to, generation: 2 })).outcome,
      ).toBe('skipped');
    });

    it('when a command can never succeed, then the adapter throws a PermanentError', async () => {
      await expect(
        h.adapter.createMailbox({
          address: `Bad Address@${h.domain}`,
          domain: h.domain,
          generation: 1,
          passwordHash: await hashPassword('x-password-1A!'),
          quotaBytes: 0,
        }),
      ).rejects.toBeInstanceOf(PermanentError);
      await expect(
        h.adapter.createMailbox({
          address: address('elsewhere').replace(h.domain, 'other.gov.vn'),
          domain: h.domain,
          generation: 1,
          passwordHash: await hashPassword('x-password-1A!'),
          quotaBytes: 0,
        }),
      ).rejects.toBeInstanceOf(PermanentError);
      await expect(
        h.adapter.setPassword({
          address: address('missing'),
          generation: 5,
          passwordHash: await hashPassword('y-1A!aaaa'),
        }),
      ).rejects.toBeInstanceOf(PermanentError);
      await expect(
        h.adapter.suspendMailbox({ address: address('missing'), generation: 5 }),
      ).rejects.toBeInstanceOf(PermanentError);
    });

    it('when an alias or group is set, replaced and removed, then getAlias follows the newest generation only', async () => {
      const a = await created('aliastarget1');
      const b = await created('aliastarget2');
      const group = address('group');
      const admin = address('admin');
      expect(
        (
          await h.adapter.setAlias({
            address: group,
            generation: 1,
            targets: [a.address, b.address],
            allowedSenders: [admin],
          })
        ).outcome,
      ).toBe('applied');
      expect(await h.adapter.getAlias(group)).toMatchObject({
        address: group,
        targets: [a.address, b.address],
        allowedSenders: [admin],
        generation: 1,
      });
      expect(
        (await h.adapter.setAlias({ address: group, generation: 1, targets: [a.address] })).outcome,
      ).toBe('skipped');
      expect(
        (await h.adapter.setAlias({ address: group, generation: 2, targets: [b.address] })).outcome,
      ).toBe('applied');
      expect(await h.adapter.getAlias(group)).toMatchObject({ targets: [b.address], allowedSenders: null });
      expect((await h.adapter.removeAlias({ address: group, generation: 1 })).outcome).toBe('skipped');
      expect((await h.adapter.removeAlias({ address: group, generation: 3 })).outcome).toBe('applied');
      expect(await h.adapter.getAlias(group)).toBeNull();
      expect((await h.adapter.removeAlias({ address: group, generation: 4 })).outcome).toBe('applied');
      await expect(
        h.adapter.setAlias({ address: a.address, generation: 1, targets: [b.address] }),
      ).rejects.toBeInstanceOf(PermanentError);
    });

    it('when aliases are listed and one is repaired, then the repair forces its target and keeps the newer generation', async () => {
      const a = await created('listtarget1');
      const b = await created('listtarget2');
      const alias = address('listalias');
      const group = address('listgroup');
      await h.adapter.setAlias({
        address: alias,
        generation: 5,
        targets: [a.address],
        expiresAt: new Date(Date.now() - 60_000),
      });
      await h.adapter.setAlias({
        address: group,
        generation: 1,
        targets: [a.address, b.address],
        allowedSenders: [],
      });
      // the domain's aliases a page at a time, in address order (it holds other tests' too)
      const scan = await h.adapter.scan([h.domain]);
      const all: AliasSnapshot[] = [];
      try {
        for (let page = await scan.aliases(100); ; page = await scan.aliases(100)) {
          all.push(...page);
          if (page.length < 100) break;
        }
      } finally {
        await scan.close();
      }
      expect(all.map((x) => x.address)).toEqual(all.map((x) => x.address).sort());
      const listed = all.filter((x) => [alias, group].includes(x.address));
      expect(listed).toEqual([
        {
          address: alias,
          targets: [a.address],
          allowedSenders: null,
          expiresAt: expect.any(Date),
          generation: 5,
        },
        {
          address: group,
          targets: [a.address, b.address],
          allowedSenders: [],
          expiresAt: null,
          generation: 1,
        },
      ]);

      expect(
        (await h.adapter.repairAlias({ address: alias, generation: 0, targets: [b.address] })).outcome,
      ).toBe('applied');
      expect(await h.adapter.getAlias(alias)).toMatchObject({
        targets: [b.address],
        expiresAt: null,
        allowedSenders: null,
        generation: 5,
      });
      // a later change from the directory still applies above the kept generation
      expect((await h.adapter.removeAlias({ address: alias, generation: 6 })).outcome).toBe('applied');
      await expect(
        h.adapter.repairAlias({ address: a.address, generation: 0, targets: [b.address] }),
      ).rejects.toBeInstanceOf(PermanentError);
      await h.adapter.removeAlias({ address: group, generation: 2 });
    });
  });
}
