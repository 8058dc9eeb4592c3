// buildApp: the requests service's HTTP API (agency API under /v1, token endpoint, admin routes).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, createHttpApp, type Logger, newId, requireAdminToken } from '@hopthu/shared';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from './db/schema.ts';
import type { ApprovalPolicies } from './domain/approval/approval-policies.ts';
import { readItemTransitions } from './domain/approval/read-request-history.ts';
import { issueAccessToken, type Principal, verifyAccessToken } from './domain/auth.ts';
import { checkPublicJwk } from './domain/clients/manage-client-keys.ts';
import { decrypt } from './domain/secrets.ts';
import { submitRequest } from './domain/requests/submit-request.ts';
import { retryOnIdempotencyRace } from './domain/validation/idempotency.ts';
import { maskedPerson } from './domain/validation/personal-data.ts';
import { registerApiDocs } from './http/api-docs.ts';
import { registerApprovalRoutes } from './http/approval-routes.ts';
import { registerClientAdminRoutes } from './http/client-admin-routes.ts';
import { limitPerAddress, limitPerClient } from './http/rate-limits.ts';
import {
  CredentialRouteSchema,
  ListRouteSchema,
  ReadRouteSchema,
  SubmitRouteSchema,
  TokenRouteSchema,
} from './http/schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

const notFound = () => new AppError('not_found', { vi: 'Không tìm thấy yêu cầu', en: 'Request not found' });

export function buildApp(deps: {
  config: Config;
  db: Kysely<Database>;
  logger: Logger;
  readiness: () => Promise<void>;
  /** The approval policies in force (built-in, or merged with APPROVAL_POLICY_FILE). */
  approvalPolicies: ApprovalPolicies;
}) {
  const { config, db } = deps;
  const tokenUrl = `${config.PUBLIC_URL}/oauth/token`;
  const app = createHttpApp({
    logger: deps.logger,
    readiness: deps.readiness,
    bodyLimit: config.BODY_LIMIT_BYTES,
  });
  registerApiDocs(app as never, config.PUBLIC_URL);
  const auth = {
    db,
    tokenUrl,
    tokenSecret: config.TOKEN_SECRET,
    accessTokenSeconds: config.ACCESS_TOKEN_SECONDS,
  };

  // In a plugin so that it is declared after @fastify/swagger has loaded (and so documented).
  app.register(async (plugin) => {
    await limitPerAddress(plugin as never, config.TOKEN_RATE_LIMIT_PER_MINUTE);
    plugin.post('/oauth/token', { schema: TokenRouteSchema }, async (request) =>
      issueAccessToken(auth, (request.body ?? {}) as Record<string, unknown>),
    );
  });

  app.register(async (plugin) => {
    const v1 = plugin.withTypeProvider<TypeBoxTypeProvider>();
    v1.decorateRequest('principal', null as unknown as Principal);
    v1.addHook('onRequest', async (request) => {
      request.principal = await verifyAccessToken(auth, request.headers.authorization);
    });
    await limitPerClient(plugin as never, config.RATE_LIMIT_PER_MINUTE);

    v1.post('/v1/requests', { schema: SubmitRouteSchema }, async (request, reply) => {
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
      const answer = await retryOnIdempotencyRace(() =>
        submitRequest(
          {
            db,
            now: () => new Date(),
            newId,
            dataKey: config.DATA_KEY,
            slaWorkingDays: config.SLA_WORKING_DAYS,
            credentialTtlHours: config.CREDENTIAL_TTL_HOURS,
            publicUrl: config.PUBLIC_URL,
            approvalPolicies: deps.approvalPolicies,
          },
          request.principal,
          key,
          request.body,
        ),
      );
      return reply
        .status(202)
        .header('location', `/v1/requests/${String(answer.id)}`)
        .send(answer);
    });

    v1.get('/v1/requests', { schema: ListRouteSchema }, async (request) => {
      let q = db
        .selectFrom('requests')
        .select(['id', 'status', 'due_at', 'received_at'])
        .where('client_agency_id', '=', request.principal.agencyId)
        .orderBy('received_at', 'desc')
        .limit(200);
      if (request.query.status) q = q.where('status', '=', request.query.status);
      const rows = await q.execute();
      return {
        items: rows.map((r) => ({
          id: r.id,
          status: r.status,
          dueAt: new Date(r.due_at).toISOString(),
          receivedAt: new Date(r.received_at).toISOString(),
        })),
      };
    });

    v1.get('/v1/requests/:id', { schema: ReadRouteSchema }, async (request) => {
      const r = await db
        .selectFrom('requests')
        .selectAll()
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!r || r.client_agency_id !== request.principal.agencyId) throw notFound();
      const items = await db
        .selectFrom('request_items')
        .selectAll()
        .where('request_id', '=', r.id)
        .orderBy('seq')
        .execute();
      const creds = new Set(
        (
          await db
            .selectFrom('credentials')
            .select('item_id')
            .where(
              'item_id',
              'in',
              items.length ? items.map((i) => i.id) : ['00000000-0000-0000-0000-000000000000'],
            )
            .execute()
        ).map((c) => c.item_id),
      );
      // Every transition of each item: who caused it (client, operator, system) and why.
      const history = await readItemTransitions(
        db,
        items.map((i) => i.id),
      );
      return {
        id: r.id,
        status: r.status,
        dueAt: (r.response as { dueAt: string }).dueAt,
        // false when the deadline crosses a year whose official holiday notice is not loaded yet
        dueConfirmed: r.due_confirmed,
        items: items.map((i) => ({
          id: i.id,
          operation: i.operation,
          status: i.status,
          ...(i.result_address || i.address ? { address: i.result_address ?? i.address } : {}),
          ...(i.person ? { person: maskedPerson(config.DATA_KEY, i) } : {}),
          ...(i.status === 'completed' && creds.has(i.id)
            ? { credentialUrl: `${config.PUBLIC_URL}/v1/requests/${r.id}/items/${i.id}/credential` }
            : {}),
          ...(i.reason && i.status !== 'completed' ? { reason: i.reason } : {}),
          history: history.get(i.id) ?? [],
        })),
      };
    });

    v1.get(
      '/v1/requests/:id/items/:itemId/credential',
      {
        schema: CredentialRouteSchema,
      },
      async (request) => {
        return db.transaction().execute(async (trx) => {
          const row = await trx
            .selectFrom('credentials')
            .innerJoin('request_items', 'request_items.id', 'credentials.item_id')
            .innerJoin('requests', 'requests.id', 'request_items.request_id')
            .select([
              'credentials.item_id',
              'credentials.password_enc',
              'credentials.expires_at',
              'request_items.status',
              'request_items.result_address',
              'requests.client_agency_id',
            ])
            .where('credentials.item_id', '=', request.params.itemId)
            .where('requests.id', '=', request.params.id)
            .forUpdate()
            .executeTakeFirst();
          if (!row || row.client_agency_id !== request.principal.agencyId || row.status !== 'completed')
            throw notFound();
          if (!row.password_enc || new Date(row.expires_at) < new Date()) {
            throw new AppError('gone', {
              vi: 'Liên kết đã được dùng hoặc đã hết hạn',
              en: 'This one-time link was already used or has expired',
            });
          }
          await trx
            .updateTable('credentials')
            .set({ password_enc: null, opened_at: new Date() })
            .where('item_id', '=', row.item_id)
            .execute();
          request.log.info({ itemId: row.item_id }, 'one-time credential opened');
          return { address: row.result_address, password: decrypt(config.DATA_KEY, row.password_enc) };
        });
      },
    );
  });

  app.register(async (plugin) => {
    const admin = plugin.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', requireAdminToken(config.ADMIN_TOKEN));
    admin.post(
      '/admin/clients',
      {
        schema: {
          body: Type.Object({
            clientId: Type.String({ minLength: 3, maxLength: 100 }),
            agencyId: Type.String({ minLength: 1 }),
            name: Type.String({ minLength: 1 }),
            jwk: Type.Record(Type.String(), Type.Unknown()),
          }),
        },
      },
      async (request, reply) => {
        const { clientId, agencyId, name, jwk } = request.body;
        const jwks = JSON.stringify({ keys: [await checkPublicJwk(jwk)] });
        await db
          .insertInto('api_clients')
          .values({ client_id: clientId, agency_id: agencyId, name, jwks })
          .onConflict((oc) => oc.column('client_id').doUpdateSet({ jwks, agency_id: agencyId, name }))
          .execute();
        return reply.status(201).send({ clientId, agencyId, tokenUrl });
      },
    );
    admin.get('/admin/agencies', async () => ({
      items: await db.selectFrom('agencies').selectAll().execute(),
    }));
  });
  registerApprovalRoutes(app, {
    db,
    now: () => new Date(),
    dataKey: config.DATA_KEY,
    credentialTtlHours: config.CREDENTIAL_TTL_HOURS,
    publicUrl: config.PUBLIC_URL,
    adminToken: config.ADMIN_TOKEN,
    approvalPolicies: deps.approvalPolicies,
  });
  registerClientAdminRoutes(app as never, { db, adminToken: config.ADMIN_TOKEN });
  return app;
}
