// Operator route for the console's dashboard and SLA reports: what is open now (due today,
// overdue) and the requests received over a period of Vietnamese days, with their received, due
// and finished times, so the console computes SLA compliance with the province's working days.
import { addDays, endOfLocalDay, isLocalDate, startOfLocalDay, toLocalDate } from '@hopthu/calendar';
import { AppError } from '@hopthu/shared/errors';
import { type HttpApp, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { readRequestSummary } from '../db/summary-repository.ts';

const Day = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

function badDay(field: string): AppError {
  return new AppError(
    'validation_failed',
    { vi: 'Khoảng thời gian không hợp lệ', en: 'Invalid period' },
    {
      errors: [
        {
          field,
          message: {
            vi: 'Phải là một ngày có thật dạng YYYY-MM-DD, không sau ngày kết thúc',
            en: 'must be a real YYYY-MM-DD day, not after the last day',
          },
        },
      ],
    },
  );
}

export function registerSummaryRoutes(
  app: HttpApp,
  deps: { db: Kysely<Database>; adminToken: string | undefined; now: () => Date },
) {
  // In a plugin, so the OpenAPI document registered before sees the route.
  app.register(async (scope) => registerSummaryRoute(scope as unknown as HttpApp, deps));
}

function registerSummaryRoute(
  app: HttpApp,
  deps: { db: Kysely<Database>; adminToken: string | undefined; now: () => Date },
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
      const now = deps.now();
      const today = toLocalDate(now);
      const to = q.to ?? today;
      if (!isLocalDate(to)) throw badDay('/to');
      const from = q.from ?? addDays(to, -29);
      if (!isLocalDate(from) || from > to) throw badDay('/from');
      const summary = await readRequestSummary(deps.db, {
        from: startOfLocalDay(from),
        to: endOfLocalDay(to),
        now,
        endOfToday: endOfLocalDay(today),
        province: q.province,
      });
      return { now: now.toISOString(), period: { from, to }, ...summary };
    },
  );
}
