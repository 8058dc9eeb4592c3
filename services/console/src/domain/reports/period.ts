// The period a dashboard or report covers, from the form's `tu` (first day) and `den` (last day)
// as YYYY-MM-DD Vietnamese days: `den` defaults to today, `tu` to the 29 days before it (30 days
// in all). Wrong input is refused naming the field, in Vietnamese and English.
import { addDays, isLocalDate, type LocalDate } from '@hopthu/calendar';
import { AppError } from '@hopthu/shared/errors';

export const MAX_PERIOD_DAYS = 731;

export interface Period {
  from: LocalDate;
  to: LocalDate;
}

function refuse(field: string, vi: string, en: string): AppError {
  return new AppError(
    'validation_failed',
    { vi: 'Khoảng thời gian không hợp lệ', en: 'Invalid period' },
    { errors: [{ field, message: { vi, en } }] },
  );
}

export function periodOf(
  query: { tu?: string | undefined; den?: string | undefined },
  today: LocalDate,
): Period {
  const to = query.den?.trim() || today;
  if (!isLocalDate(to))
    throw refuse('/den', 'Ngày kết thúc phải là một ngày có thật', 'den must be a real day');
  const from = query.tu?.trim() || addDays(to, -29);
  if (!isLocalDate(from))
    throw refuse('/tu', 'Ngày bắt đầu phải là một ngày có thật', 'tu must be a real day');
  if (from > to) throw refuse('/tu', 'Ngày bắt đầu phải trước ngày kết thúc', 'tu must not be after den');
  if (addDays(from, MAX_PERIOD_DAYS) < to) {
    throw refuse('/tu', 'Khoảng thời gian dài quá 2 năm', 'the period is longer than 2 years');
  }
  return { from, to };
}

/** The calendar year `year` as a period (the annual reports). */
export function yearPeriod(year: number): Period {
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}
