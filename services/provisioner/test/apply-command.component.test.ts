// The provisioner in process: buildApp(deps) on a scratch database of its own (no running
// provisioner, no Kafka), the real mail server behind the Dovecot adapter (vmail and doveadm). A
// command goes through the use case the commands consumer calls, in a transaction as the inbox
// gives it; the mailbox then logs in over IMAP, the admin API lists the command, and its result
// waits in the outbox. The same command again is answered once; an older generation changes nothing.
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { newId, systemClock } from '@hopthu/shared/clock';
import { createDb } from '@hopthu/shared/db';
import type { ProvisioningCommand } from '@hopthu/shared/events';
import { createScratchDatabase, type ScratchDatabase } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDoveadmClient } from '../src/adapters/dovecot/doveadm-client.ts';
import { createDovecotAdapter } from '../src/adapters/dovecot/dovecot-adapter.ts';
import type { VmailDb } from '../src/adapters/dovecot/vmail-repository.ts';
import { buildApp } from '../src/app.ts';
import type { ProvisionerDb } from '../src/db/schema.ts';
import { applyProvisioningCommand } from '../src/domain/commands/apply-provisioning-command.ts';
import {
  buildCommand,
  canLogin,
  commandEvent,
  env,
  hashPassword,
  logger,
  newPassword,
  uniqueAddress,
} from './helpers.ts';

const adminToken = `component-${randomUUID()}`;
const auth = { authorization: `Bearer ${adminToken}` };

describe('provisioning commands through the use case, in process, on the real mail server', () => {
  let scratch: ScratchDatabase<ProvisionerDb>;
  let adapter: ReturnType<typeof createDovecotAdapter>;
  let app: ReturnType<typeof buildApp>;

  beforeAll(async () => {
    scratch = await createScratchDatabase<ProvisionerDb>({
      service: 'provisioner',
      migrationsPath: path.join(import.meta.dirname, '..', 'migrations'),
    });
    adapter = createDovecotAdapter({
      vmail: createDb<VmailDb>(env.vmailUrl, { max: 2 }),
      doveadm: createDoveadmClient({ url: env.doveadmUrl, apiKey: env.doveadmApiKey, timeoutMs: 5000 }),
      vmailRoot: env.vmailRoot,
      retentionDir: await mkdtemp(path.join(os.tmpdir(), 'provisioner-retention-')),
      renameAliasDays: 1,
      clock: systemClock,
      logger,
    });
    app = buildApp({
      db: scratch.db,
      logger,
      clock: systemClock,
      newId,
      adapter,
      retentionDays: 30,
      adminToken,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await adapter?.close();
    await scratch?.drop();
  });

  /** Applies a command as the commands consumer does: in one transaction, as its `attempt`. */
  const apply = (command: ProvisioningCommand, attempt = 1) =>
    scratch.db
      .transaction()
      .execute((trx) =>
        applyProvisioningCommand(
          { db: trx, adapter, clock: systemClock, newId, logger, retentionDays: 30 },
          { event: commandEvent(command), attempt },
        ),
      );

  /** The result events waiting in the outbox for this mailbox. */
  const resultsOf = async (mailboxId: string) =>
    (
      await sql<{ payload: { data: { outcome: string; generation: number } } }>`
        SELECT payload FROM outbox WHERE topic = 'hopthu.provisioning.results.v1' AND key = ${mailboxId}
        ORDER BY created_at`.execute(scratch.db)
    ).rows.map((r) => ({ outcome: r.payload.data.outcome, generation: r.payload.data.generation }));

  it('when the admin token is missing, then the applied commands are refused with 401 problem+json', async () => {
    const res = await app.inject({ method: 'GET', url: '/admin/applied-commands' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('when a create command is applied, then the mailbox logs in, the admin API lists the command and its result is outboxed', async () => {
    const address = uniqueAddress('component');
    const password = newPassword();
    const create = buildCommand({
      address,
      passwordHash: await hashPassword(password),
      quotaBytes: 50 * 1024 * 1024,
    });

    expect(await apply(create)).toBe('applied');

    expect(await canLogin(address, password)).toBe(true);
    const listed = await app.inject({
      method: 'GET',
      url: `/admin/applied-commands?mailboxId=${create.mailboxId}`,
      headers: auth,
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toMatchObject({
      commands: [
        { commandId: create.commandId, action: 'create', outcome: 'applied', generation: 1, attempts: 1 },
      ],
    });
    expect(await resultsOf(create.mailboxId)).toEqual([{ outcome: 'applied', generation: 1 }]);

    // the same command under a new event id (a re-publish) is answered once only
    expect(await apply(create, 2)).toBe('duplicate');
    expect(await resultsOf(create.mailboxId)).toEqual([{ outcome: 'applied', generation: 1 }]);

    // deleted at generation 2: a late create of generation 1 under another command id changes nothing
    const remove = buildCommand({ address, mailboxId: create.mailboxId, action: 'delete', generation: 2 });
    expect(await apply(remove)).toBe('applied');
    const late = buildCommand({ ...create, commandId: randomUUID() });
    expect(await apply(late)).toBe('skipped');
    expect(await canLogin(address, password)).toBe(false);
    expect(await resultsOf(create.mailboxId)).toEqual([
      { outcome: 'applied', generation: 1 },
      { outcome: 'applied', generation: 2 },
      { outcome: 'skipped', generation: 1 },
    ]);
  });
});
