// Admin API for agencies' API clients' keys (rotation): list, add a key, retire a key.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addClientKey, listClientKeys, retireClientKey } from '../domain/clients/manage-client-keys.ts';

const ClientParams = Type.Object({ clientId: Type.String({ minLength: 1, maxLength: 100 }) });

export function registerClientAdminRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<Database>; adminToken: string | undefined },
) {
  app.register(async (plugin) => {
    const admin = plugin.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', requireAdminToken(deps.adminToken));
    admin.get(
      '/admin/clients/:clientId',
      {
        schema: {
          summary: "An API client's keys (current and retired)",
          tags: ['admin'],
          params: ClientParams,
        },
      },
      async (request) => listClientKeys(deps, { clientId: request.params.clientId }),
    );
    admin.post(
      '/admin/clients/:clientId/keys',
      {
        schema: {
          summary: 'Add a key to an API client (rotation: both keys valid until the old one is retired)',
          tags: ['admin'],
          params: ClientParams,
          body: Type.Object(
            { jwk: Type.Record(Type.String(), Type.Unknown()) },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await addClientKey(deps, { clientId: request.params.clientId, jwk: request.body.jwk })),
    );
    admin.delete(
      '/admin/clients/:clientId/keys/:kid',
      {
        schema: {
          summary: "Retire an API client's key",
          tags: ['admin'],
          params: Type.Object({
            clientId: Type.String({ minLength: 1 }),
            kid: Type.String({ minLength: 1 }),
          }),
        },
      },
      async (request) =>
        retireClientKey(deps, { clientId: request.params.clientId, kid: request.params.kid }),
    );
  });
}
