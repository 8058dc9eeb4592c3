// Operator routes (ADMIN_TOKEN) for API clients and the directory replica: register an agency's API
// client with its first key, and list the agencies authorisation sees. Key rotation is in
// client-admin-routes.ts.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type HttpApp, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { registerClient } from '../domain/clients/register-client.ts';
import { listAgencies } from '../domain/replica/list-agencies.ts';

const RegisterClientBody = Type.Object({
  clientId: Type.String({ minLength: 3, maxLength: 100 }),
  agencyId: Type.String({ minLength: 1 }),
  name: Type.String({ minLength: 1 }),
  jwk: Type.Record(Type.String(), Type.Unknown()),
});

export function registerAdminRoutes(
  app: HttpApp,
  deps: { db: Kysely<Database>; adminToken: string | undefined; tokenUrl: string },
) {
  app.register(async (plugin) => {
    const admin = plugin.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', requireAdminToken(deps.adminToken));
    admin.post(
      '/admin/clients',
      {
        schema: {
          summary: "Register an agency's API client and its public key",
          tags: ['admin'],
          body: RegisterClientBody,
        },
      },
      async (request, reply) => reply.status(201).send(await registerClient(deps, request.body)),
    );
    admin.get(
      '/admin/agencies',
      {
        schema: {
          summary: 'The agency tree as this service last learned it from the directory',
          tags: ['admin'],
        },
      },
      async () => listAgencies(deps),
    );
  });
}
