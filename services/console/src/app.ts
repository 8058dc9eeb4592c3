// buildApp: the console's HTTP side (health, readiness, its admin API, the operators' pages), used
// by main.ts and tests.
import { createHttpApp, type HttpApp } from '@hopthu/shared/http';
import { registerApiDocs } from '@hopthu/shared/openapi';
import type { ConsoleDeps } from './domain/deps.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import { registerPages } from './http/pages.ts';

export interface AppDeps extends ConsoleDeps {
  adminToken: string | undefined;
  /** The public keys of the operator tokens the console signs (the services fetch them). */
  operatorKeys?: { keys: unknown[] };
  secureCookies: boolean;
  readiness?: () => Promise<void>;
}

export function buildApp(deps: AppDeps): HttpApp {
  const app = createHttpApp({ logger: deps.logger, readiness: deps.readiness, bodyLimit: 64 * 1024 });
  registerApiDocs(app as never, {
    title: 'hopthu console admin API',
    description:
      "The console's admin routes for scripts (operator accounts, the audit log). The operators' web pages are not part of this API. Errors are RFC 9457 problem+json in Vietnamese and English.",
    publicUrl: 'http://127.0.0.1:3005',
    include: (path) => path.startsWith('/admin/'),
  });
  // In a plugin, so the OpenAPI document (registered above) sees every route.
  app.register(async (scope) => {
    const routes = scope as unknown as HttpApp;
    registerAdminRoutes(routes, deps);
    registerPages(routes, deps, {
      secureCookies: deps.secureCookies,
      sessionMaxSeconds: Math.floor(deps.session.maxMs / 1000),
    });
  });
  // The services verify the console's operator tokens with these keys (OPERATOR_JWKS_URL).
  app.get(
    '/.well-known/operator-jwks.json',
    { schema: { summary: 'Public keys of the operator tokens the console signs', tags: ['operators'] } },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return deps.operatorKeys ?? { keys: [] };
    },
  );
  return app;
}
