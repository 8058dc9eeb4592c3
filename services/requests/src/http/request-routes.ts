// The agency API under /v1 (bearer access token, limited per API client): submit a request, list
// and read the agency's own requests, and open an item's one-time credential.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '@hopthu/shared/errors';
import type { HttpApp } from '@hopthu/shared/http';
import type { AuthDeps } from '../domain/auth/issue-access-token.ts';
import { type Principal, verifyAccessToken } from '../domain/auth/verify-access-token.ts';
import { listOwnAgencies } from '../domain/agencies/list-own-agencies.ts';
import { openCredential } from '../domain/credentials/open-credential.ts';
import { openRequestCredentials } from '../domain/credentials/open-request-credentials.ts';
import { listRequests } from '../domain/requests/list-requests.ts';
import { readRequest } from '../domain/requests/read-request.ts';
import { type SubmitDeps, submitRequest } from '../domain/requests/submit-request.ts';
import { waitForRequestEnd } from '../domain/requests/wait-for-request.ts';
import { retryOnIdempotencyRace } from '../domain/validation/idempotency.ts';
import { createGate } from './bulk-gate.ts';
import { limitPerClient } from './rate-limits.ts';
import {
  AgenciesRouteSchema,
  CredentialRouteDocs,
  CredentialRouteSchema,
  ListRouteDocs,
  ListRouteSchema,
  ReadRouteDocs,
  ReadRouteSchema,
  RequestCredentialsRouteDocs,
  RequestCredentialsRouteSchema,
  SubmitRouteDocs,
  SubmitRouteSchema,
} from './schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

export interface RequestRoutesDeps {
  auth: Pick<AuthDeps, 'tokenUrl' | 'tokenKeys' | 'clock'>;
  perMinute: number;
  /** What submitting needs (db, clock, ids, keys, policies); the reads use the same. */
  submit: SubmitDeps;
}

/** A request of this many items or more is bulk work: it takes its turn at the gate. */
const BULK_ITEMS = 50;
/** Bulk requests worked on at once: one building its rows while another's statements run. */
const BULK_AT_ONCE = 2;

export function registerRequestRoutes(app: HttpApp, deps: RequestRoutesDeps) {
  const { submit } = deps;
  const { db } = submit;
  const bulk = createGate(BULK_AT_ONCE);

  app.register(async (plugin) => {
    const v1 = plugin.withTypeProvider<TypeBoxTypeProvider>();
    v1.decorateRequest('principal', null as unknown as Principal);
    v1.addHook('onRequest', async (request) => {
      request.principal = await verifyAccessToken(deps.auth, {
        authorization: request.headers.authorization,
      });
    });
    await limitPerClient(plugin as never, deps.perMinute);

    v1.post(
      '/v1/requests',
      { schema: SubmitRouteSchema, config: SubmitRouteDocs },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        if (typeof key !== 'string' || key.length < 1 || key.length > 200) {
          throw new AppError(
            'validation_failed',
            { vi: 'Thiếu tiêu đề Idempotency-Key', en: 'The Idempotency-Key header is required' },
            {
              errors: [{ field: 'header:Idempotency-Key', message: { vi: 'bắt buộc', en: 'required' } }],
            },
          );
        }
        const file = () =>
          retryOnIdempotencyRace(() =>
            submitRequest(submit, { principal: request.principal, idempotencyKey: key, body: request.body }),
          );
        // a small request never waits behind a province's bulk burst
        const answer = await (request.body.items.length >= BULK_ITEMS ? bulk.run(file) : file());
        return reply
          .status(202)
          .header('location', `/v1/requests/${String(answer.id)}`)
          .send(answer);
      },
    );

    v1.get('/v1/requests', { schema: ListRouteSchema, config: ListRouteDocs }, async (request) =>
      listRequests({ db }, { principal: request.principal, status: request.query.status }),
    );

    v1.get('/v1/agencies', { schema: AgenciesRouteSchema }, async (request) =>
      listOwnAgencies({ db }, { principal: request.principal }),
    );

    v1.get('/v1/requests/:id', { schema: ReadRouteSchema, config: ReadRouteDocs }, async (request) => {
      const wait = Number(request.query.wait ?? 0);
      if (wait > 0) {
        await waitForRequestEnd(
          { db },
          {
            principal: request.principal,
            requestId: request.params.id,
            waitSeconds: wait,
            closed: () => request.raw.socket?.destroyed ?? false,
          },
        );
      }
      return readRequest(submit, { principal: request.principal, requestId: request.params.id });
    });

    v1.post(
      '/v1/requests/:id/credentials',
      { schema: RequestCredentialsRouteSchema, config: RequestCredentialsRouteDocs },
      async (request) =>
        openRequestCredentials(
          { ...submit, logger: request.log },
          { principal: request.principal, requestId: request.params.id },
        ),
    );

    v1.get(
      '/v1/requests/:id/items/:itemId/credential',
      { schema: CredentialRouteSchema, config: CredentialRouteDocs },
      async (request) =>
        openCredential(
          { ...submit, logger: request.log },
          { principal: request.principal, requestId: request.params.id, itemId: request.params.itemId },
        ),
    );
  });
}
