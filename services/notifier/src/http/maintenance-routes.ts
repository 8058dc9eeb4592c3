// Operator route for planned downtime (Bắc Ninh Điều 10 khoản 2 điểm b): schedule a maintenance
// window; refused with the rule's article when it falls on a weekday or leaves less notice than the
// province requires, otherwise every agency mailbox concerned is sent the notice.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Clock, NewId } from '@hopthu/shared/clock';
import { type HttpApp, OPERATOR_NAME_PATTERN, operatorOf, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { NotifierDb } from '../db/schema.ts';
import type { MailSettings } from '../domain/mail-settings.ts';
import { scheduleMaintenance } from '../domain/maintenance/schedule-maintenance.ts';

export interface MaintenanceRouteDeps {
  db: Kysely<NotifierDb>;
  clock: Clock;
  newId: NewId;
  mail: MailSettings;
  adminToken: string | undefined;
}

export function registerMaintenanceRoutes(app: HttpApp, deps: MaintenanceRouteDeps) {
  app.register(async (scope) => {
    const admin = scope.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', requireAdminToken(deps.adminToken));
    admin.post(
      '/admin/maintenance',
      {
        schema: {
          summary: 'Schedule planned maintenance and mail the notice to every agency mailbox',
          tags: ['maintenance'],
          body: Type.Object(
            {
              startsAt: Type.String({ format: 'date-time' }),
              endsAt: Type.String({ format: 'date-time' }),
              reason: Type.String({ minLength: 1, maxLength: 500 }),
              operator: Type.Optional(Type.String({ pattern: OPERATOR_NAME_PATTERN })),
              provinces: Type.Optional(
                Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 20 }),
              ),
            },
            { additionalProperties: false },
          ),
        },
      },
      // who scheduled it: the operator token's name (a body `operator` may only repeat it); only
      // with the static token, the body's or X-Operator's
      async (req, reply) =>
        reply
          .status(201)
          .send(await scheduleMaintenance(deps, { ...req.body, operator: operatorOf(req, req.body) })),
    );
  });
}
