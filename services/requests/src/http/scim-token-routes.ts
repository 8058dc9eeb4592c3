// Operators' routes (admin bearer) for SCIM tokens: issue one to an agency's API client (shown
// once), list them, revoke one. docs/scim.md says how an identity provider uses it.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Clock, NewId } from '@hopthu/shared/clock';
import { type HttpApp, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { issueScimToken, listClientScimTokens, revokeClientScimToken } from '../domain/scim/scim-tokens.ts';

const ClientParams = Type.Object({ clientId: Type.String({ minLength: 1, maxLength: 100 }) });

export function registerScimTokenRoutes(
  app: HttpApp,
  deps: { db: Kysely<Database>; clock: Clock; newId: NewId; adminToken: string | undefined },
) {
  app.register(async (plugin) => {
    const admin = plugin.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', requireAdminToken(deps.adminToken));
    admin.post(
      '/admin/clients/:clientId/scim-tokens',
      {
        schema: {
          summary: "Issue a SCIM bearer token to an agency's API client (shown once)",
          tags: ['admin'],
          params: ClientParams,
          body: Type.Object(
            {
              label: Type.String({ minLength: 1, maxLength: 200, description: 'e.g. the identity provider' }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await issueScimToken(deps, { clientId: request.params.clientId, label: request.body.label })),
    );
    admin.get(
      '/admin/clients/:clientId/scim-tokens',
      {
        schema: {
          summary: "An API client's SCIM tokens (never the tokens themselves)",
          tags: ['admin'],
          params: ClientParams,
        },
      },
      async (request) => listClientScimTokens(deps, { clientId: request.params.clientId }),
    );
    admin.delete(
      '/admin/clients/:clientId/scim-tokens/:id',
      {
        schema: {
          summary: "Revoke an API client's SCIM token",
          tags: ['admin'],
          params: Type.Object({
            clientId: Type.String({ minLength: 1, maxLength: 100 }),
            id: Type.String({ format: 'uuid' }),
          }),
        },
      },
      async (request) =>
        revokeClientScimToken(deps, { clientId: request.params.clientId, id: request.params.id }),
    );
  });
}
