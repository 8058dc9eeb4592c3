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
import { createItemsWriter, type ItemsWriter } from '../domain/requests/items-writer.ts';
import { createGate, type Gate } from './bulk-gate.ts';
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
  /** The gate bulk submissions take their turn at (createBulkWork). */
  bulkGate: Gate;
  /** Writes a bulk request's items after its answer; the reads below have them written first. */
  itemsWriter: ItemsWriter;
}

/**
 * A request of this many items or more is bulk work: it takes its turn at the gate, and is
 * answered once stored, its items written just after (domain/requests/expand-request.ts).
 */
export const BULK_ITEMS = 50;
/**
 * Bulk submissions worked on at once, the rest in arrival order. Their items are written after
 * the answer, so one holds little (its body, checks and one sealed copy): four at once keep the
 * CPU busy while others wait on PostgreSQL (40 x 500 at once on a loaded machine: p50 0.67 and
 * 1.16 s at four against 1.14 and 1.70 s at two; eight was no better).
 */
const BULK_AT_ONCE = 4;
/** Bulk requests whose items are written at once (each holds its rows and a connection meanwhile). */
const ITEMS_WRITTEN_AT_ONCE = 2;

/**
 * The bulk gate of this process and the background writer of bulk requests' items, which gives
 * way to bulk submissions waiting for their answer (they come first). Its sweep runs from start().
 */
export function createBulkWork(
  submit: SubmitDeps,
  logger: { error(fields: Record<string, unknown>, message: string): void },
): { bulkGate: Gate; itemsWriter: ItemsWriter } {
  const bulkGate = createGate(BULK_AT_ONCE);
  const itemsWriter = createItemsWriter({
    deps: submit,
    logger,
    atOnce: ITEMS_WRITTEN_AT_ONCE,
    busy: () => bulkGate.busy(),
  });
  return { bulkGate, itemsWriter };
}

export function registerRequestRoutes(app: HttpApp, deps: RequestRoutesDeps) {
  const { submit, itemsWriter } = deps;
  const { db } = submit;
  const bulk = deps.bulkGate;

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
        const isBulk = request.body.items.length >= BULK_ITEMS;
        const file = () =>
          retryOnIdempotencyRace(() =>
            submitRequest(submit, {
              principal: request.principal,
              idempotencyKey: key,
              body: request.body,
              itemsLater: isBulk,
            }),
          );
        // a small request never waits behind a province's bulk burst
        const answer = isBulk ? await bulk.run(file) : await file();
        // stored (committed): its items are written now, in the background (a replay: nothing to do)
        if (isBulk) itemsWriter.wake(String(answer.id));
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
      // a bulk request answered moments ago: its items written first, so that all of them show
      // (and, for a long-poll, so that it can end)
      await itemsWriter.ensureWritten(request.params.id);
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
      async (request) => {
        await itemsWriter.ensureWritten(request.params.id);
        return openRequestCredentials(
          { ...submit, logger: request.log },
          { principal: request.principal, requestId: request.params.id },
        );
      },
    );

    v1.get(
      '/v1/requests/:id/items/:itemId/credential',
      { schema: CredentialRouteSchema, config: CredentialRouteDocs },
      async (request) => {
        await itemsWriter.ensureWritten(request.params.id);
        return openCredential(
          { ...submit, logger: request.log },
          { principal: request.principal, requestId: request.params.id, itemId: request.params.itemId },
        );
      },
    );
  });
}
