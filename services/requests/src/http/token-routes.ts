// POST /oauth/token: agencies' systems trade a private_key_jwt assertion for an access token;
// limited per remote address. Its refusals are RFC 6749 §5.2 JSON (`error`, `error_description`,
// for OAuth client libraries) that also carry the usual problem fields in Vietnamese and English.
// GET /.well-known/jwks.json publishes the public keys that verify the access tokens.
import { toProblem } from '@hopthu/shared/errors';
import { type HttpApp, toAppError } from '@hopthu/shared/http';
import { type AuthDeps, issueAccessToken } from '../domain/auth/issue-access-token.ts';
import { OAuthError, type OAuthErrorCode, oauthDescription } from '../domain/auth/token-errors.ts';
import { limitPerAddress } from './rate-limits.ts';
import { TokenRouteSchema } from './schemas.ts';

export const JWKS_PATH = '/.well-known/jwks.json';

export function registerTokenRoutes(app: HttpApp, deps: { auth: AuthDeps; perMinute: number }) {
  // In a plugin so that it is declared after @fastify/swagger has loaded (and so documented).
  app.register(async (plugin) => {
    await limitPerAddress(plugin as never, deps.perMinute);
    plugin.setErrorHandler((error, request, reply) => {
      const e = toAppError(error as Error);
      // rate limits and the service's own faults keep the common problem+json answer
      if (!e || e.status === 429 || e.status >= 500) throw error;
      const oauthError: OAuthErrorCode = e instanceof OAuthError ? e.oauthError : 'invalid_request';
      request.log.info(
        { oauthError, failedCheck: e instanceof OAuthError ? e.failedCheck : undefined },
        'token refused',
      );
      return reply
        .status(e.status)
        .type('application/json; charset=utf-8')
        .header('cache-control', 'no-store')
        .send({
          error: oauthError,
          error_description: oauthDescription(e.text.en),
          ...(e instanceof OAuthError ? { failedCheck: e.failedCheck } : {}),
          ...toProblem(e, request.url),
        });
    });
    plugin.post('/oauth/token', { schema: TokenRouteSchema }, async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return issueAccessToken(deps.auth, (request.body ?? {}) as Record<string, unknown>);
    });
  });
  app.register(async (plugin) => {
    plugin.get(
      JWKS_PATH,
      {
        schema: {
          summary: 'The public keys (JWK set) that verify access tokens, by kid',
          tags: ['auth'],
          security: [],
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', 'public, max-age=300');
        return deps.auth.tokenKeys.jwks;
      },
    );
  });
}
