// Planned downtime (Bắc Ninh Điều 10 khoản 2 điểm b): maintenance is announced at least the
// province's working days ahead and done on Saturday or Sunday. Every province the window concerns
// that has such a rule must be satisfied; a province without one sets no limit. Pure: the
// window, the policies and `now` in, the problems (field, Vietnamese, English, with the article) out.
import { dayOfWeek, toLocalDate, workingDaysBetween } from '@hopthu/calendar';
import type { ProvincePolicy } from '@hopthu/naming';

export interface WindowProblem {
  field: '/startsAt' | '/endsAt';
  vi: string;
  en: string;
}

const DAY_MS = 24 * 3600 * 1000;

/** Vietnam days the window touches, first to last (an end at 00:00 does not touch that day). */
function daysOf(startsAt: Date, endsAt: Date): string[] {
  const last = toLocalDate(new Date(endsAt.getTime() - 1));
  const days: string[] = [];
  for (let at = startsAt.getTime(); ; at += DAY_MS) {
    const day = toLocalDate(new Date(at));
    days.push(day);
    if (day >= last || days.length > 31) break;
  }
  return days;
}

export function checkMaintenanceWindow(
  policies: readonly Pick<ProvincePolicy, 'name' | 'plannedDowntime'>[],
  window: { startsAt: Date; endsAt: Date },
  now: Date,
): WindowProblem[] {
  const { startsAt, endsAt } = window;
  if (!(endsAt.getTime() > startsAt.getTime()))
    return [{ field: '/endsAt', vi: 'Phải sau thời điểm bắt đầu', en: 'must be after startsAt' }];
  if (startsAt.getTime() <= now.getTime())
    return [{ field: '/startsAt', vi: 'Phải ở tương lai', en: 'must be in the future' }];
  const problems: WindowProblem[] = [];
  const notice = workingDaysBetween(toLocalDate(now), toLocalDate(startsAt));
  const weekdays = daysOf(startsAt, endsAt).filter((d) => dayOfWeek(d) !== 0 && dayOfWeek(d) !== 6);
  for (const policy of policies) {
    const rule = policy.plannedDowntime;
    if (!rule) continue;
    const cite = `${policy.name}, ${rule.article}`;
    if (rule.weekendOnly && weekdays.length > 0)
      problems.push({
        field: weekdays.includes(toLocalDate(startsAt)) ? '/startsAt' : '/endsAt',
        vi: `Bảo trì có kế hoạch chỉ làm vào thứ Bảy hoặc Chủ nhật (${cite}); khoảng này gồm ngày ${weekdays.join(', ')}`,
        en: `planned maintenance is done on Saturday or Sunday only (${cite}); this window touches ${weekdays.join(', ')}`,
      });
    if (notice < rule.noticeWorkingDays)
      problems.push({
        field: '/startsAt',
        vi: `Phải thông báo trước ít nhất ${rule.noticeWorkingDays} ngày làm việc (${cite}); còn ${notice} ngày làm việc`,
        en: `must be announced at least ${rule.noticeWorkingDays} working days ahead (${cite}); ${notice} left`,
      });
  }
  return problems;
}
