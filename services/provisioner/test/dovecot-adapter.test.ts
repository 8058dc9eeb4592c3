// Runs the MailServerAdapter contract against the Dovecot/Postfix adapter on the real mail server
// (vmail in PostgreSQL, doveadm HTTP API, IMAP logins).
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '@hopthu/shared/clock';
import { createDb } from '@hopthu/shared/db';
import { isTransientError } from '@hopthu/shared/inbox';
import { waitFor } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDoveadmClient } from '../src/adapters/dovecot/doveadm-client.ts';
import { createDovecotAdapter } from '../src/adapters/dovecot/dovecot-adapter.ts';
import type { VmailDb } from '../src/adapters/dovecot/vmail-repository.ts';
import { MailServerUnavailableError } from '../src/domain/mail-server-adapter.ts';
import {
  canLogin,
  clockedAdapter,
  deliverMail,
  env,
  hashPassword,
  logger,
  newPassword,
  openSession,
  TEST_DOMAIN,
  uniqueAddress,
} from './helpers.ts';
import { describeMailServerAdapterContract } from './mail-server-adapter-contract.ts';

describeMailServerAdapterContract('dovecot', async () => {
  const adapter = createDovecotAdapter({
    vmail: createDb<VmailDb>(env.vmailUrl, { max: 2 }),
    doveadm: createDoveadmClient({ url: env.doveadmUrl, apiKey: env.doveadmApiKey, timeoutMs: 5000 }),
    vmailRoot: env.vmailRoot,
    retentionDir: await mkdtemp(path.join(os.tmpdir(), 'provisioner-retention-')),
    renameAliasDays: 1,
    clock: systemClock,
    logger,
  });
  return { adapter, domain: TEST_DOMAIN, canLogin, deliver: deliverMail, close: () => adapter.close() };
});

describe('Dovecot adapter: activity rows an earlier holder left', () => {
  it('when a mailbox is renamed onto an address whose last login and delivery rows outlived its earlier holder, then the rename is applied and the stale rows are not taken over', async () => {
    const { adapter } = await clockedAdapter('provisioner-stale-rows-');
    const vmail = createDb<VmailDb>(env.vmailUrl, { max: 1 });
    try {
      const address = uniqueAddress('stale-from');
      const to = uniqueAddress('stale-to');
      const password = newPassword();
      await adapter.createMailbox({
        address,
        domain: TEST_DOMAIN,
        generation: 1,
        passwordHash: await hashPassword(password),
        quotaBytes: 0,
      });
      // what Dovecot's dict may write for an address after the mailbox that had it went
      await sql`INSERT INTO last_login (username, last_login) VALUES (${to}, 1)`.execute(vmail);
      await sql`INSERT INTO last_delivery (username, last_delivery) VALUES (${to}, 1)`.execute(vmail);

      const moved = await adapter.renameMailbox({ address, newAddress: to, generation: 2 });
      expect(moved.outcome).toBe('applied');
      expect(await adapter.getMailbox(to)).toMatchObject({ address: to, generation: 2 });
      expect(await canLogin(to, password)).toBe(true);
      const { rows } = await sql<{ n: number }>`
        SELECT (SELECT count(*) FROM last_delivery WHERE username = ${to} AND last_delivery = 1)::int
             + (SELECT count(*) FROM last_login WHERE username = ${to} AND last_login = 1)::int AS n`.execute(
        vmail,
      );
      expect(rows[0]?.n).toBe(0);
    } finally {
      await adapter.close();
      await vmail.destroy();
    }
  });
});

describe('Dovecot adapter when doveadm is unreachable', () => {
  it('when the kick after a suspend cannot reach doveadm, then it fails as retryable, and the retry ends the open session', async () => {
    const retentionDir = await mkdtemp(path.join(os.tmpdir(), 'provisioner-retention-'));
    const base = { vmailRoot: env.vmailRoot, retentionDir, renameAliasDays: 1, clock: systemClock, logger };
    const broken = createDovecotAdapter({
      ...base,
      vmail: createDb<VmailDb>(env.vmailUrl, { max: 1 }),
      doveadm: createDoveadmClient({ url: 'http://127.0.0.1:1/doveadm/v1', apiKey: 'x', timeoutMs: 1000 }),
    });
    const working = createDovecotAdapter({
      ...base,
      vmail: createDb<VmailDb>(env.vmailUrl, { max: 1 }),
      doveadm: createDoveadmClient({ url: env.doveadmUrl, apiKey: env.doveadmApiKey, timeoutMs: 5000 }),
    });
    try {
      const address = uniqueAddress('unreachable');
      const password = newPassword();
      await working.createMailbox({
        address,
        domain: TEST_DOMAIN,
        generation: 1,
        passwordHash: await hashPassword(password),
        quotaBytes: 0,
      });
      const session = await openSession(address, password);
      try {
        const failed = broken.suspendMailbox({ address, generation: 2 });
        await expect(failed).rejects.toBeInstanceOf(MailServerUnavailableError);
        const err = await failed.catch((e: unknown) => e);
        expect(isTransientError(err) || err instanceof MailServerUnavailableError).toBe(true);
        // the row change is in; the session is still open until the retry kicks it
        expect(await working.getMailbox(address)).toMatchObject({ active: false, generation: 2 });
        expect(session.isClosed()).toBe(false);
        const retry = await working.suspendMailbox({ address, generation: 2 });
        expect(retry.outcome).toBe('skipped');
        await waitFor(async () => session.isClosed(), {
          timeoutMs: 10_000,
          what: 'the session to be kicked',
        });
      } finally {
        await session.close();
      }
    } finally {
      await broken.close();
      await working.close();
    }
  });
});
