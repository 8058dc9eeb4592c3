// The console without ADMIN_TOKEN (issue 14), in process on a scratch database: it starts, its own
// admin API refuses the static token and an X-Operator header and takes an admin's operator token
// only, and its clients of the other services reach the running stack with the operator tokens it
// signs (the installation's OPERATOR_SIGNING_KEY, whose public half the services trust), no
// static token involved.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newId, systemClock } from '@hopthu/shared/clock';
import { localSecret } from '@hopthu/shared/local-env';
import { createLogger } from '@hopthu/shared/logger';
import {
  adminGuardAnswers,
  createScratchDatabase,
  type ScratchDatabase,
  serviceDatabaseUrl,
  serviceUrl,
  trustTestOperators,
} from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminApiClient } from '../src/adapters/admin-api-client.ts';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import type { ConsoleDb } from '../src/db/schema.ts';

const operators = trustTestOperators(localSecret('OPERATOR_SIGNING_KEY'));
const upstream = (name: string) =>
  createAdminApiClient({ name, baseUrl: serviceUrl(name), signer: operators.signer, timeoutMs: 10_000 });

describe('console without ADMIN_TOKEN', () => {
  let scratch: ScratchDatabase<ConsoleDb>;
  let app: ReturnType<typeof buildApp>;
  const upstreams = {
    requests: upstream('requests'),
    directory: upstream('directory'),
    provisioner: upstream('provisioner'),
    notifier: upstream('notifier'),
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase<ConsoleDb>({
      service: 'console',
      migrationsPath: path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations'),
    });
    app = buildApp({
      db: scratch.db,
      clock: systemClock,
      newId,
      logger: createLogger('console-test', { level: process.env.TEST_LOG_LEVEL ?? 'warn' }),
      session: { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 },
      login: { maxFailuresPerUser: 5, maxFailuresPerIp: 100, windowMs: 15 * 60_000 },
      upstreams,
      adminToken: undefined,
      operatorKeys: operators.signer.jwks,
      secureCookies: false,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await scratch?.drop();
  });

  it('when ADMIN_TOKEN is unset, then the console’s configuration is accepted without it', () => {
    const env = { ...process.env, DATABASE_URL: serviceDatabaseUrl('console'), ADMIN_TOKEN: undefined };
    expect(readConfig(env).ADMIN_TOKEN).toBeUndefined();
  });

  it('when its own admin API is called with the static token or an X-Operator header, then 401; a non-admin operator 403, an admin 200', async () => {
    const route = { method: 'GET', url: '/admin/audit/verify' } as const;
    expect(await adminGuardAnswers(app, operators, route)).toEqual({
      staticToken: 401,
      operatorHeader: 401,
      operatorToken: 403,
    });
    const asAdmin = await app.inject({
      ...route,
      headers: { authorization: await operators.bearer('op.quantri', 'admin') },
    });
    expect(asAdmin.statusCode).toBe(200);
  });

  it('when it calls the running services for an operator, then each accepts the token it signs', async () => {
    const as = { name: 'op.an', role: 'operator' };
    expect((await upstreams.directory.get('/admin/provinces/bac-ninh/domains', {}, as)).status).toBe(200);
    expect((await upstreams.requests.get('/admin/approvals', {}, as)).status).toBe(200);
    expect((await upstreams.provisioner.get('/admin/dead-letters', {}, as)).status).toBe(200);
    expect((await upstreams.notifier.get('/admin/deadlines', {}, as)).status).toBe(200);
  });
});
