// An operator files a request for an agency (a mailbox locked after a report, a password reset on
// the phone, a paper form typed in): the same body, validation, approval rules, history, events
// and idempotency as an agency's POST /v1/requests, recorded as filed by the operator the token
// proves (`client:operator:<name>` in the item history). Used by the console's mailbox page.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { newId } from '@hopthu/shared/clock';
import { type HttpApp, operatorOf, requireAdminToken } from '@hopthu/shared/http';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ApprovalPolicies } from '../domain/approval/approval-policies.ts';
import { submitRequest } from '../domain/requests/submit-request.ts';
import type { DataKeys } from '../domain/secrets.ts';
import { retryOnIdempotencyRace } from '../domain/validation/idempotency.ts';
import { SubmitRouteSchema } from './schemas.ts';

export function registerOperatorRequestRoutes(
  app: HttpApp,
  deps: {
    db: Kysely<Database>;
    adminToken: string | undefined;
    dataKey: DataKeys;
    slaWorkingDays: number;
    credentialTtlHours: number;
    publicUrl: string;
    approvalPolicies: ApprovalPolicies;
  },
) {
  app.register(async (plugin) => {
    const admin = plugin.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', requireAdminToken(deps.adminToken));
    admin.post(
      '/admin/operator-requests',
      {
        schema: {
          summary: 'File a request for an agency as an operator (same rules as POST /v1/requests)',
          tags: ['admin'],
          headers: SubmitRouteSchema.headers,
          body: SubmitRouteSchema.body,
        },
      },
      async (request, reply) => {
        const operator = operatorOf(request, undefined);
        const principal = { clientId: `operator:${operator}`, agencyId: request.body.agencyId };
        const answer = await retryOnIdempotencyRace(() =>
          submitRequest(
            { ...deps, now: () => new Date(), newId },
            principal,
            request.headers['idempotency-key'],
            request.body,
          ),
        );
        return reply.status(202).send(answer);
      },
    );
  });
}
