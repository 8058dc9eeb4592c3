// The figures of the console's dashboard and SLA reports: what is open now (due today, overdue)
// and the requests received over a period of Vietnamese days (default the 30 days up to today),
// with their received, due and finished times, so the console computes SLA compliance with the
// province's working days. "Now" and "today" are the clock's.
import { addDays, endOfLocalDay, isLocalDate, startOfLocalDay, toLocalDate } from '@hopthu/calendar';
import type { Clock } from '@hopthu/shared/clock';
import { AppError } from '@hopthu/shared/errors';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { readRequestSummary } from '../../db/summary-repository.ts';

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

export async function summariseRequests(
  deps: { db: Kysely<Database>; clock: Clock },
  input: { from?: string | undefined; to?: string | undefined; province?: string | undefined },
) {
  const now = deps.clock.now();
  const today = toLocalDate(now);
  const to = input.to ?? today;
  if (!isLocalDate(to)) throw badDay('/to');
  const from = input.from ?? addDays(to, -29);
  if (!isLocalDate(from) || from > to) throw badDay('/from');
  const summary = await readRequestSummary(deps.db, {
    from: startOfLocalDay(from),
    to: endOfLocalDay(to),
    now,
    endOfToday: endOfLocalDay(today),
    province: input.province,
  });
  return { now: now.toISOString(), period: { from, to }, ...summary };
}
