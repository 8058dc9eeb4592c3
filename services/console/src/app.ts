// buildApp: the console's HTTP side (health, readiness, its admin API, the operators' pages), used
// by main.ts and tests.
import { createHttpApp, type HttpApp } from '@hopthu/shared/http';
import type { ConsoleDeps } from './domain/deps.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import { registerPages } from './http/pages.ts';

export interface AppDeps extends ConsoleDeps {
  adminToken: string;
  secureCookies: boolean;
  readiness?: () => Promise<void>;
}

export function buildApp(deps: AppDeps): HttpApp {
  const app = createHttpApp({ logger: deps.logger, readiness: deps.readiness, bodyLimit: 64 * 1024 });
  registerAdminRoutes(app, deps);
  registerPages(app, deps, {
    secureCookies: deps.secureCookies,
    sessionMaxSeconds: Math.floor(deps.session.maxMs / 1000),
  });
  return app;
}
