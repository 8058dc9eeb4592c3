// Rate limits: the agency API per API client (the access token's subject), the token endpoint per
// remote address. Over the limit: 429 problem+json with Retry-After. In-memory counters: one
// instance's view (a shared store such as Redis would be needed once the service scales out).
import rateLimit from '@fastify/rate-limit';
import { AppError } from '@hopthu/shared/errors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const tooMany = (after: string) =>
  new AppError('rate_limited', {
    vi: `Quá nhiều yêu cầu, hãy thử lại sau ${after}`,
    en: `Too many requests, try again in ${after}`,
  });

/** Per API client; the principal is known from the onRequest auth hook, so count in preHandler. */
export async function limitPerClient(scope: FastifyInstance, perMinute: number) {
  await scope.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    hook: 'preHandler',
    keyGenerator: (request: FastifyRequest) =>
      `client:${(request as FastifyRequest & { principal?: { clientId: string } }).principal?.clientId ?? request.ip}`,
    errorResponseBuilder: (_request, context) => tooMany(context.after),
  });
}

export async function limitPerAddress(scope: FastifyInstance, perMinute: number) {
  await scope.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => `ip:${request.ip}`,
    errorResponseBuilder: (_request, context) => tooMany(context.after),
  });
}
