// POST /oauth/token: agencies' systems trade a private_key_jwt assertion for an access token;
// limited per remote address.
import type { HttpApp } from '@hopthu/shared/http';
import { type AuthDeps, issueAccessToken } from '../domain/auth/issue-access-token.ts';
import { limitPerAddress } from './rate-limits.ts';
import { TokenRouteSchema } from './schemas.ts';

export function registerTokenRoutes(app: HttpApp, deps: { auth: AuthDeps; perMinute: number }) {
  // In a plugin so that it is declared after @fastify/swagger has loaded (and so documented).
  app.register(async (plugin) => {
    await limitPerAddress(plugin as never, deps.perMinute);
    plugin.post('/oauth/token', { schema: TokenRouteSchema }, async (request) =>
      issueAccessToken(deps.auth, (request.body ?? {}) as Record<string, unknown>),
    );
  });
}
