// buildApp: the provisioner's HTTP side (health, readiness, admin API), used by main.ts and tests.
import type { Clock, NewId } from '@hopthu/shared/clock';
import { createHttpApp, type HttpApp } from '@hopthu/shared/http';
import { registerApiDocs } from '@hopthu/shared/openapi';
import type { Logger } from '@hopthu/shared/logger';
import type { Kysely } from 'kysely';
import type { MailServerAdapter } from './domain/mail-server-adapter.ts';
import type { ProvisionerDb } from './db/schema.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';

export interface AppDeps {
  db: Kysely<ProvisionerDb>;
  logger: Logger;
  clock: Clock;
  newId: NewId;
  adminToken: string | undefined;
  /** The mail server, for the drift check and repair. */
  adapter: MailServerAdapter;
  /** Full days a deleted mailbox's mail is kept (the retention routes). */
  retentionDays: number;
  readiness?: () => Promise<void>;
}

export function buildApp(deps: AppDeps): HttpApp {
  const app = createHttpApp({ logger: deps.logger, readiness: deps.readiness });
  registerApiDocs(app as never, {
    title: 'hopthu provisioner admin API',
    description:
      "The provisioner's admin routes: dead letters and their replay, applied commands, the drift check against the mail server and its repair, retention of deleted mail. Errors are RFC 9457 problem+json in Vietnamese and English.",
    publicUrl: 'http://127.0.0.1:3003',
  });
  // In a plugin, so the OpenAPI document (registered above) sees every route.
  app.register(async (scope) => {
    const routes = scope as unknown as HttpApp;
    registerAdminRoutes(routes, deps);
  });
  return app;
}
