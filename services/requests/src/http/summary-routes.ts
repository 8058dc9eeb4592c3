// Operator route for the console's dashboard and SLA reports (domain/requests/summarise-requests.ts).
import type { Clock } from '@hopthu/shared/clock';
import { type HttpApp, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { summariseRequests } from '../domain/requests/summarise-requests.ts';

const Day = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

export function registerSummaryRoutes(
  app: HttpApp,
  deps: { db: Kysely<Database>; adminToken: string | undefined; clock: Clock },
) {
  // In a plugin, so the OpenAPI document registered before sees the route.
  app.register(async (scope) => registerSummaryRoute(scope as unknown as HttpApp, deps));
}

function registerSummaryRoute(
  app: HttpApp,
  deps: { db: Kysely<Database>; adminToken: string | undefined; clock: Clock },
) {
  app.get(
    '/admin/summary/requests',
    {
      onRequest: requireAdminToken(deps.adminToken),
      schema: {
        summary: 'Requests open now (due today, overdue) and those received over a period, for SLA figures',
        tags: ['admin'],
        querystring: Type.Object({
          from: Type.Optional(Day('First day received (YYYY-MM-DD, Vietnam); default 29 days before `to`')),
          to: Type.Optional(Day('Last day received, included; default today')),
          province: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        }),
      },
    },
    async (request) => {
      const q = request.query as { from?: string; to?: string; province?: string };
      return summariseRequests(deps, { from: q.from, to: q.to, province: q.province });
    },
  );
}
