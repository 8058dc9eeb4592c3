// buildApp: the notifier's HTTP side (health, readiness, admin API), used by main.ts and tests.
import type { Clock } from '@hopthu/shared/clock';
import { createHttpApp, type HttpApp } from '@hopthu/shared/http';
import { registerApiDocs } from '@hopthu/shared/openapi';
import type { Logger } from '@hopthu/shared/logger';
import type { Kysely } from 'kysely';
import type { NotifierDb } from './db/schema.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';

export interface AppDeps {
  db: Kysely<NotifierDb>;
  logger: Logger;
  clock: Clock;
  adminToken: string;
  readiness?: () => Promise<void>;
}

export function buildApp(deps: AppDeps): HttpApp {
  const app = createHttpApp({ logger: deps.logger, readiness: deps.readiness });
  registerApiDocs(app as never, {
    title: 'hopthu notifier admin API',
    description:
      "The notifier's admin routes: deadlines (the SLA board), warnings, result deliveries, agencies' webhook subscriptions. Errors are RFC 9457 problem+json in Vietnamese and English.",
    publicUrl: 'http://127.0.0.1:3004',
  });
  // In a plugin, so the OpenAPI document (registered above) sees every route.
  app.register(async (scope) => {
    const routes = scope as unknown as HttpApp;
    registerAdminRoutes(routes, deps);
  });
  return app;
}
