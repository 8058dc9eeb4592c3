// The console: its own database, clients of the other services' HTTP admin APIs, the session
// sweep, the HTTP pages. It consumes no Kafka topic: it reads the other services over HTTP.
import { newId, systemClock } from '@hopthu/shared/clock';
import { operatorSigner } from '@hopthu/shared/operator-token';
import { migrationsBeside, runServiceMain } from '@hopthu/shared/service-kit';
import { createAdminApiClient } from './adapters/admin-api-client.ts';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import type { ConsoleDb } from './db/schema.ts';
import { sweepEndedSessions } from './domain/auth/sweep-ended-sessions.ts';
import type { ConsoleDeps } from './domain/deps.ts';

const config = readConfig();
const signer = operatorSigner(config.OPERATOR_SIGNING_KEY);
const upstream = (name: string, baseUrl: string) =>
  createAdminApiClient({ name, baseUrl, signer, timeoutMs: config.UPSTREAM_TIMEOUT_MS });

await runServiceMain<ConsoleDb>({
  name: 'console',
  config,
  migrations: migrationsBeside(import.meta.dirname),
  parts: ({ db, logger, readiness }) => {
    const deps: ConsoleDeps = {
      db,
      clock: systemClock,
      newId,
      logger,
      session: { idleMs: config.SESSION_IDLE_MINUTES * 60_000, maxMs: config.SESSION_MAX_HOURS * 3_600_000 },
      login: {
        maxFailuresPerUser: config.LOGIN_MAX_FAILURES,
        maxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
        windowMs: config.LOGIN_WINDOW_MINUTES * 60_000,
      },
      upstreams: {
        requests: upstream('requests', config.REQUESTS_URL),
        directory: upstream('directory', config.DIRECTORY_URL),
        provisioner: upstream('provisioner', config.PROVISIONER_URL),
        notifier: upstream('notifier', config.NOTIFIER_URL),
      },
    };
    return {
      app: buildApp({
        ...deps,
        adminToken: config.ADMIN_TOKEN,
        operatorKeys: signer.jwks,
        secureCookies: config.COOKIE_SECURE === '1',
        readiness,
      }),
      loops: { 'session sweep': { intervalMs: 10 * 60_000, runOnce: () => sweepEndedSessions(deps) } },
    };
  },
});
