// The console's own admin API (ADMIN_TOKEN, JSON): creating operator accounts from tooling, as the
// demo seed does, and checking the audit log's hash chain. `resetPassword: true` sets the password of an existing account instead of 409.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type HttpApp, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import { createOperator, USERNAME_PATTERN } from '../domain/auth/create-operator.ts';
import { verifyAuditChain } from '../domain/audit/verify-audit-chain.ts';
import { ROLES } from '../domain/auth/permissions.ts';
import type { ConsoleDeps } from '../domain/deps.ts';

export function registerAdminRoutes(app: HttpApp, deps: ConsoleDeps & { adminToken: string }) {
  app.register(async (scope) => {
    const admin = scope.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', requireAdminToken(deps.adminToken));
    admin.post(
      '/admin/operators',
      {
        schema: {
          summary: "Create an operator account (scripts; the console's pages do the same for admins)",
          tags: ['operators'],
          body: Type.Object(
            {
              username: Type.String({ pattern: USERNAME_PATTERN }),
              displayName: Type.String({ minLength: 1, maxLength: 200 }),
              role: Type.Union(ROLES.map((r) => Type.Literal(r))),
              password: Type.String({ minLength: 12, maxLength: 200 }),
              resetPassword: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const result = await createOperator(deps, {
          ...request.body,
          actor: { operatorId: null, username: 'admin-token', clientIp: request.ip },
        });
        return reply.status(result.created ? 201 : 200).send(result);
      },
    );

    admin.get(
      '/admin/audit/verify',
      { schema: { summary: "Check the audit log's hash chain and say where it breaks", tags: ['audit'] } },
      async () => {
        const r = await verifyAuditChain(deps);
        return { ...r, breaks: r.breaks.map((b) => ({ ...b, at: b.at.toISOString() })) };
      },
    );
  });
}
