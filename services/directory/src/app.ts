// The directory's HTTP app: public directory search and the operators' admin routes.
import { createHttpApp, type HttpApp } from '@hopthu/shared/http';
import type { DirectoryDeps } from './domain/deps.ts';
import { registerAdminAddressRoutes } from './http/admin-address-routes.ts';
import { registerAdminDomainRoutes } from './http/admin-domain-routes.ts';
import { registerAdminImportRoutes } from './http/admin-import-routes.ts';
import { registerAdminReorganisationRoutes } from './http/admin-reorganisation-routes.ts';
import type { ReorganisationRunner } from './domain/reorganisations/apply-reorganisation.ts';
import { registerAdminInactivityRoutes } from './http/admin-inactivity-routes.ts';
import { registerAdminPasswordRoutes } from './http/admin-password-routes.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import { registerDirectoryRoutes } from './http/directory-routes.ts';

export function buildApp(
  deps: DirectoryDeps & {
    adminToken: string;
    readiness?: () => Promise<void>;
    /** Applies reorganisations in the background (main.ts resumes unfinished ones at start). */
    reorganisations?: ReorganisationRunner;
  },
): HttpApp {
  const app = createHttpApp({
    logger: deps.logger,
    ...(deps.readiness ? { readiness: deps.readiness } : {}),
  });
  registerDirectoryRoutes(app, deps);
  registerAdminRoutes(app, deps);
  registerAdminAddressRoutes(app, deps);
  registerAdminInactivityRoutes(app, deps);
  registerAdminPasswordRoutes(app, deps);
  registerAdminDomainRoutes(app, deps);
  registerAdminImportRoutes(app, deps);
  registerAdminReorganisationRoutes(app, deps);
  return app;
}
