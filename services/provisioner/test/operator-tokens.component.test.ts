// The provisioner's admin API with the static token switched off (ADMIN_TOKEN unset, issue 14), in
// process on a scratch database and the real mail server's adapter: the installation's static
// token and an X-Operator header are refused, the console's operator token opens the dead letters
// and the retention list, and a replay it asks for gets as far as the dead letter it names.
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newId, systemClock } from '@hopthu/shared/clock';
import { createDb } from '@hopthu/shared/db';
import {
  adminGuardAnswers,
  createScratchDatabase,
  serviceDatabaseUrl,
  trustTestOperators,
} from '@hopthu/shared/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDoveadmClient } from '../src/adapters/dovecot/doveadm-client.ts';
import { createDovecotAdapter } from '../src/adapters/dovecot/dovecot-adapter.ts';
import type { VmailDb } from '../src/adapters/dovecot/vmail-repository.ts';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import type { ProvisionerDb } from '../src/db/schema.ts';
import { env, logger } from './helpers.ts';

const scratch = await createScratchDatabase<ProvisionerDb>({
  service: 'provisioner',
  migrationsPath: path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations'),
});
const adapter = createDovecotAdapter({
  vmail: createDb<VmailDb>(env.vmailUrl, { max: 2 }),
  doveadm: createDoveadmClient({ url: env.doveadmUrl, apiKey: env.doveadmApiKey, timeoutMs: 5000 }),
  vmailRoot: env.vmailRoot,
  retentionDir: await mkdtemp(path.join(os.tmpdir(), 'provisioner-retention-')),
  renameAliasDays: 1,
  clock: systemClock,
  logger,
});
const operators = trustTestOperators();
const app = buildApp({
  db: scratch.db,
  logger,
  clock: systemClock,
  newId,
  adapter,
  retentionDays: 30,
  adminToken: undefined,
});

beforeAll(() => app.ready());
afterAll(async () => {
  await app.close();
  await adapter.close();
  await scratch.drop();
});

it('when ADMIN_TOKEN is unset, then the provisioner’s configuration is accepted without it', () => {
  const config = readConfig({
    ...process.env,
    DATABASE_URL: serviceDatabaseUrl('provisioner'),
    ADMIN_TOKEN: undefined,
  });
  expect(config.ADMIN_TOKEN).toBeUndefined();
});

it('when the static token or an X-Operator header calls an admin route, then 401; an operator token is let in', async () => {
  for (const url of ['/admin/dead-letters', '/admin/retention']) {
    expect(await adminGuardAnswers(app, operators, { method: 'GET', url })).toEqual({
      staticToken: 401,
      operatorHeader: 401,
      operatorToken: 200,
    });
  }
  // past the guard, a replay is judged on its dead letter: this one does not exist
  const replay = await adminGuardAnswers(app, operators, {
    method: 'POST',
    url: `/admin/dead-letters/${randomUUID()}/replay`,
  });
  expect(replay).toEqual({ staticToken: 401, operatorHeader: 401, operatorToken: 404 });
});
