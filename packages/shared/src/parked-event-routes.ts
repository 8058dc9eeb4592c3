// The operator's side of parked events (parked-events.ts), the same on every service that runs
// inbox consumers: mounted once by the service kit (service-kit.ts) on the service's app, behind
// the admin token or a console operator token like the service's other admin routes.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { type HttpApp, OPERATOR_NAME_PATTERN, operatorOf, requireAdminToken } from './http.ts';
import { handleEventIn } from './inbox.ts';
import {
  type AnyDb,
  dismissParkedEvent,
  listParkedEvents,
  type ParkedState,
  replayParkedEvent,
} from './parked-events.ts';

const Id = Type.Object({ id: Type.String({ pattern: '^[0-9a-fA-F-]{36}$' }) });

export function registerParkedEventRoutes(
  app: HttpApp,
  deps: { db: AnyDb; adminToken?: string | undefined },
): void {
  app.register(async (scope) => {
    const admin = scope.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', requireAdminToken(deps.adminToken));

    admin.get(
      '/admin/parked-events',
      {
        schema: {
          summary:
            'Messages a consumer could not handle, kept for replay (newest first, one page and the total)',
          tags: ['parked-events'],
          querystring: Type.Object(
            {
              state: Type.Optional(
                Type.Union([Type.Literal('open'), Type.Literal('replayed'), Type.Literal('all')]),
              ),
              consumer: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]{0,99}$' })),
              limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$' })),
              offset: Type.Optional(Type.String({ pattern: '^(?:0|[1-9][0-9]{0,6})$' })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) =>
        listParkedEvents(deps.db, {
          state: (request.query.state ?? 'open') as ParkedState,
          consumer: request.query.consumer,
          limit: Math.min(500, Number(request.query.limit ?? 100)),
          offset: Number(request.query.offset ?? 0),
        }),
    );

    admin.post(
      '/admin/parked-events/:id/replay',
      {
        schema: {
          summary: "Handle a parked event again through its consumer's handler, once, and mark it replayed",
          tags: ['parked-events'],
          params: Id,
          body: Type.Object(
            { operator: Type.Optional(Type.String({ pattern: OPERATOR_NAME_PATTERN })) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) =>
        replayParkedEvent(deps.db, handleEventIn, {
          id: request.params.id,
          operator: operatorOf(request, request.body),
        }),
    );

    admin.post(
      '/admin/parked-events/:id/dismiss',
      {
        schema: {
          summary: 'Close a parked event without replaying it, with the reason (it stays recorded)',
          tags: ['parked-events'],
          params: Id,
          body: Type.Object(
            {
              reason: Type.String({ minLength: 3, maxLength: 500, pattern: '\\S' }),
              operator: Type.Optional(Type.String({ pattern: OPERATOR_NAME_PATTERN })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) =>
        dismissParkedEvent(deps.db, {
          id: request.params.id,
          operator: operatorOf(request, request.body),
          reason: request.body.reason.trim(),
        }),
    );
  });
}
