// buildApp: the notifier's HTTP side (health, readiness, admin API), used by main.ts and tests.
import type { Clock } from '@hopthu/shared/clock';
import { createHttpApp, type HttpApp } from '@hopthu/shared/http';
import type { Logger } from '@hopthu/shared/logger';
import type { Kysely } from 'kysely';
import type { NotifierDb } from './db/schema.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import type { AdjustableClock } from './test-clock.ts';

export interface AppDeps {
  db: Kysely<NotifierDb>;
  logger: Logger;
  clock: Clock;
  adminToken: string;
  /** Present only when NOTIFIER_TEST_CLOCK=1: exposes POST /admin/clock. */
  testClock?: AdjustableClock;
  readiness?: () => Promise<void>;
}

export function buildApp(deps: AppDeps): HttpApp {
  const app = createHttpApp({ logger: deps.logger, readiness: deps.readiness });
  registerAdminRoutes(app, deps);
  return app;
}
