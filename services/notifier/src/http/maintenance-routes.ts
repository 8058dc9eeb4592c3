// Operator route for planned downtime (Bắc Ninh Điều 10 khoản 2 điểm b): schedule a maintenance
// window; refused with the rule's article when it falls on a weekday or leaves less notice than the
// province requires, otherwise every agency mailbox concerned is sent the notice.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Clock, NewId } from '@hopthu/shared/clock';
import { type HttpApp, requireAdminToken } from '@hopthu/shared/http';
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
  adminToken: string;
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
              operator: Type.String({ minLength: 1, maxLength: 100 }),
              provinces: Type.Optional(
                Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 20 }),
              ),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => reply.status(201).send(await scheduleMaintenance(deps, req.body)),
    );
  });
}
