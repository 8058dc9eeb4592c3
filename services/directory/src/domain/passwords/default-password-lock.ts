// Kiên Giang Điều 10 khoản 3 (regulations §5): "Trong vòng 05 ngày làm việc nếu hộp thư được tạo mới
// không thay đổi mật khẩu mặc định thì hộp thư đó sẽ tạm thời bị khóa cho đến khi có yêu cầu mới."
// Pure: the period is counted on the project's working-day calendar from the day the password was
// issued (the creation notice goes out when the mail server confirms, seconds later), and ends at
// 24:00 of the last working day; the holder's own change since the issue stops it.
import { computeDeadline } from '@hopthu/calendar';
import type { ProvincePolicy } from '@hopthu/naming';

export interface DefaultPasswordVerdict {
  workingDays: number;
  article: string;
  /** The end of the period: the mailbox is locked from this instant on. */
  dueAt: Date;
}

/** The verdict when the mailbox must be locked at `now`, else null. */
export function judgeDefaultPassword(
  policy: ProvincePolicy,
  password: { issuedAt: Date; changedAt: Date | null },
  now: Date,
): DefaultPasswordVerdict | null {
  const rule = policy.defaultPasswordLock;
  if (!rule) return null;
  if (password.changedAt && password.changedAt.getTime() >= password.issuedAt.getTime()) return null;
  const dueAt = computeDeadline(password.issuedAt, rule.workingDays).dueAt;
  if (now.getTime() < dueAt.getTime()) return null;
  return { workingDays: rule.workingDays, article: rule.article, dueAt };
}

/**
 * The earliest issue instant that can be due at `now`: a bound for the query (5 working days are at
 * least 5 calendar days), the pure judge decides each candidate.
 */
export function issuedBeforeBound(policy: ProvincePolicy, now: Date): Date | null {
  const rule = policy.defaultPasswordLock;
  if (!rule) return null;
  return new Date(now.getTime() - rule.workingDays * 24 * 3600 * 1000);
}
