// Console wiring: config, its own database + migrations, clients of the other services' admin
// APIs, a sweeper for ended sessions, the HTTP pages; stopped in reverse order on SIGTERM. The
// console consumes no Kafka topic: it reads the other services over HTTP.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newId, systemClock } from '@hopthu/shared/clock';
import { createDb, migrateToLatest } from '@hopthu/shared/db';
import { createLogger } from '@hopthu/shared/logger';
import { startPollingLoop } from '@hopthu/shared/polling';
import { composeShutdown, runService } from '@hopthu/shared/service';
import { sql } from 'kysely';
import { createAdminApiClient } from './adapters/admin-api-client.ts';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import type { ConsoleDb } from './db/schema.ts';
import { deleteExpiredSessions, deleteLoginAttemptsBefore } from './db/session-repository.ts';
import type { ConsoleDeps } from './domain/deps.ts';

const config = readConfig();
const logger = createLogger('console', { level: config.LOG_LEVEL });
const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

await runService(logger, async () => {
  const db = createDb<ConsoleDb>(config.DATABASE_URL);
  await migrateToLatest(db as never, migrations);

  const upstream = (name: string, baseUrl: string) =>
    createAdminApiClient({ name, baseUrl, token: config.ADMIN_TOKEN, timeoutMs: config.UPSTREAM_TIMEOUT_MS });
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

  // Ended sessions are refused when presented anyway, and old login attempts no longer count;
  // this only keeps the tables small.
  const stopSweeper = startPollingLoop({
    logger,
    intervalMs: 10 * 60_000,
    what: 'session sweep',
    runOnce: async () => {
      const now = deps.clock.now();
      await deleteExpiredSessions(db, now, new Date(now.getTime() - deps.session.idleMs));
      await deleteLoginAttemptsBefore(
        db,
        new Date(now.getTime() - Math.max(deps.login.windowMs, 86_400_000)),
      );
      return 0;
    },
  });

  const app = buildApp({
    ...deps,
    adminToken: config.ADMIN_TOKEN,
    secureCookies: config.COOKIE_SECURE === '1',
    readiness: async () => {
      await sql`SELECT 1`.execute(db);
    },
  });
  await app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ url: `http://${config.HOST}:${config.PORT}` }, 'console listening');

  return composeShutdown(logger, [
    ['http', () => app.close()],
    ['session-sweeper', stopSweeper],
    ['db', () => db.destroy()],
  ]);
});
