// Runs the MailServerAdapter contract against the Dovecot/Postfix adapter on the real mail server
// (vmail in PostgreSQL, doveadm HTTP API, IMAP logins).
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDb, systemClock } from '@hopthu/shared';
import { createDoveadmClient } from '../src/adapters/dovecot/doveadm-client.ts';
import { createDovecotAdapter } from '../src/adapters/dovecot/dovecot-adapter.ts';
import type { VmailDb } from '../src/adapters/dovecot/vmail-repository.ts';
import { canLogin, env, logger, TEST_DOMAIN } from './helpers.ts';
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
  return { adapter, domain: TEST_DOMAIN, canLogin, close: () => adapter.close() };
});
