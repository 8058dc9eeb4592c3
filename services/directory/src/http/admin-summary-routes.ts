// Operator route for the console's dashboard and reports: mailboxes by state, in all and per
// agency, with the per-agency figures of the yearly reports over a period of Vietnamese days.
import { addDays, endOfLocalDay, startOfLocalDay, toLocalDate } from '@hopthu/calendar';
import { AppError } from '@hopthu/shared/errors';
import { type HttpApp, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import { readMailboxSummary } from '../db/summary-repository.ts';
import type { DirectoryDeps } from '../domain/deps.ts';

const LOCAL_DAY = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';

const SummaryQuery = Type.Object({
  from: Type.Optional(Type.String({ pattern: LOCAL_DAY, description: 'First day (YYYY-MM-DD, Vietnam)' })),
  to: Type.Optional(Type.String({ pattern: LOCAL_DAY, description: 'Last day, included' })),
  activeSince: Type.Optional(
    Type.String({ pattern: LOCAL_DAY, description: 'A login since this day counts as regular use' }),
  ),
  province: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

export function registerAdminSummaryRoutes(
  app: HttpApp,
  deps: DirectoryDeps & { adminToken: string | undefined },
) {
  app.get(
    '/admin/summary/mailboxes',
    {
      onRequest: requireAdminToken(deps.adminToken),
      schema: {
        summary: 'Mailboxes by state and per agency, with the yearly report figures over a period',
        tags: ['reports'],
        querystring: SummaryQuery,
      },
    },
    async (request) => {
      const q = request.query as { from?: string; to?: string; activeSince?: string; province?: string };
      const today = toLocalDate(deps.clock.now());
      const to = q.to ?? today;
      const from = q.from ?? addDays(to, -29);
      if (from > to) {
        throw new AppError(
          'validation_failed',
          { vi: 'Khoảng thời gian không hợp lệ', en: 'Invalid period' },
          {
            errors: [
              {
                field: '/from',
                message: { vi: 'Ngày bắt đầu phải trước ngày kết thúc', en: 'from must not be after to' },
              },
            ],
          },
        );
      }
      const activeSince = q.activeSince ?? addDays(to, -29);
      const summary = await readMailboxSummary(deps.db, {
        from: startOfLocalDay(from),
        to: endOfLocalDay(to),
        activeSince: startOfLocalDay(activeSince),
        province: q.province,
      });
      return { period: { from, to }, activeSince, ...summary };
    },
  );
}
