// The directory's HTTP app: public directory search and the operators' admin routes.
import { createHttpApp, type HttpApp } from '@hopthu/shared/http';
import { registerApiDocs } from '@hopthu/shared/openapi';
import type { DirectoryDeps } from './domain/deps.ts';
import { registerAdminAddressRoutes } from './http/admin-address-routes.ts';
import { registerAdminDomainRoutes } from './http/admin-domain-routes.ts';
import { registerAdminImportRoutes } from './http/admin-import-routes.ts';
import { registerAdminReorganisationRoutes } from './http/admin-reorganisation-routes.ts';
import type { ReorganisationRunner } from './domain/reorganisations/apply-reorganisation.ts';
import { registerAdminInactivityRoutes } from './http/admin-inactivity-routes.ts';
import { registerAdminPasswordRoutes } from './http/admin-password-routes.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import { registerAdminSummaryRoutes } from './http/admin-summary-routes.ts';
import { registerDirectoryRoutes } from './http/directory-routes.ts';

export function buildApp(
  deps: DirectoryDeps & {
    adminToken: string | undefined;
    readiness?: () => Promise<void>;
    /** Applies reorganisations in the background (main.ts resumes unfinished ones at start). */
    reorganisations?: ReorganisationRunner;
  },
): HttpApp {
  const app = createHttpApp({
    logger: deps.logger,
    ...(deps.readiness ? { readiness: deps.readiness } : {}),
  });
  registerApiDocs(app as never, {
    title: 'hopthu directory API',
    description:
      "The directory (Danh bạ): the public search of official mailboxes, and the operators' admin routes for the agency tree, mailboxes, addresses, aliases, groups, domains, imports and reorganisations. Errors are RFC 9457 problem+json in Vietnamese and English.",
    publicUrl: 'http://127.0.0.1:3002',
  });
  // In a plugin, so the OpenAPI document (registered above) sees every route.
  app.register(async (scope) => {
    const routes = scope as unknown as HttpApp;
    registerDirectoryRoutes(routes, deps);
    registerAdminRoutes(routes, deps);
    registerAdminAddressRoutes(routes, deps);
    registerAdminInactivityRoutes(routes, deps);
    registerAdminPasswordRoutes(routes, deps);
    registerAdminDomainRoutes(routes, deps);
    registerAdminImportRoutes(routes, deps);
    registerAdminReorganisationRoutes(routes, deps);
    registerAdminSummaryRoutes(routes, deps);
  });
  return app;
}
