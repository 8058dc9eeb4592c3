// The console's own admin API (JSON): creating operator accounts from tooling, as the demo seed
// does, and checking the audit log's hash chain. It takes the static ADMIN_TOKEN (local scripts;
// unset, refused) or an operator token of an admin. `resetPassword: true` sets the password of an existing account instead of 409.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '@hopthu/shared/errors';
import { type HttpApp, requireAdminToken } from '@hopthu/shared/http';
import { operatorIdentityOf } from '@hopthu/shared/operator-token';
import { Type } from '@sinclair/typebox';
import { createOperator, USERNAME_PATTERN } from '../domain/auth/create-operator.ts';
import { verifyAuditChain } from '../domain/audit/verify-audit-chain.ts';
import { ROLES } from '../domain/auth/permissions.ts';
import type { ConsoleDeps } from '../domain/deps.ts';

export function registerAdminRoutes(app: HttpApp, deps: ConsoleDeps & { adminToken: string | undefined }) {
  app.register(async (scope) => {
    const admin = scope.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', requireAdminToken(deps.adminToken));
    // the console signs tokens for every role: only an admin's may manage accounts here
    admin.addHook('onRequest', async (request) => {
      const operator = operatorIdentityOf(request);
      if (operator && operator.role !== 'admin')
        throw new AppError('forbidden', {
          vi: 'Chỉ quản trị viên được dùng API quản trị của bảng điều khiển',
          en: "Only an admin may use the console's admin API",
        });
    });
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
          actor: {
            operatorId: null,
            username: operatorIdentityOf(request)?.name ?? 'admin-token',
            clientIp: request.ip,
          },
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
