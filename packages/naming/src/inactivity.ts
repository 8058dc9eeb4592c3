// The inactivity rule of a province (regulations §6) as a pure function of dates: when a mailbox
// that has not been used since `since` (its last login, or its creation when never used) falls
// under the rule, and what then happens. Months are calendar months on Vietnam's wall clock
// (UTC+7, no daylight saving since 1975): 6 months after 31 August is the end of February, the
// same time of day.
import type { InactivityRule, ProvincePolicy } from './policies/policy-types.ts';

const VN_OFFSET_MS = 7 * 3600 * 1000;

/**
 * `instant` plus `months` calendar months in Vietnam time; a day past the end of the target month
 * becomes its last day (31 Aug + 6 → 28/29 Feb), never a day of the month after.
 */
export function addCalendarMonths(instant: Date, months: number): Date {
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer, got ${months}`);
  const local = new Date(instant.getTime() + VN_OFFSET_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  const shifted = Date.UTC(
    year,
    month,
    day,
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  );
  return new Date(shifted - VN_OFFSET_MS);
}

/** When a mailbox unused since `since` falls under the rule. */
export function inactivityDueAt(rule: InactivityRule, since: Date): Date {
  return addCalendarMonths(since, rule.months);
}

export interface InactivityVerdict {
  action: InactivityRule['action'];
  article: string;
  months: number;
  /** The moment the period ended. */
  dueAt: Date;
}

/**
 * What the province's rule says about a mailbox at `now`: null when the province has no rule or
 * the period has not run out; otherwise the action (`lock` or `reclaim`) with its article.
 * `since` is the last use, or the creation when it was never used.
 */
export function judgeInactivity(
  policy: Pick<ProvincePolicy, 'inactivity'>,
  since: Date,
  now: Date,
): InactivityVerdict | null {
  const rule = policy.inactivity;
  if (!rule) return null;
  const dueAt = inactivityDueAt(rule, since);
  if (now.getTime() < dueAt.getTime()) return null;
  return { action: rule.action, article: rule.article, months: rule.months, dueAt };
}

/**
 * A bound for a database pre-filter: every mailbox due at `now` was last used at or before this
 * instant. A few later ones may not be due yet (month ends: 31 August + 6 months is 28 February,
 * so going back from 28 February gives 28 August, and the three days after it are added), so the
 * caller still judges each one with `judgeInactivity`.
 */
export function inactivityQueryBound(rule: InactivityRule, now: Date): Date {
  return new Date(addCalendarMonths(now, -rule.months).getTime() + 3 * 24 * 3600 * 1000);
}

/** What the mail server last saw of a mailbox, each null when never. */
export interface MailboxUse {
  lastLoginAt: Date | null;
  lastSentAt: Date | null;
  lastReceivedAt: Date | null;
}

/**
 * The mailbox's last use by the province's rule: the latest of the kinds it counts (logins only
 * when the rule does not say; Bắc Ninh Điều 4 khoản 2 điểm c counts sending and receiving). A
 * province without a rule counts every kind (the last use is then for reports only). Null when
 * none of the counted kinds happened.
 */
export function lastUse(rule: Pick<InactivityRule, 'counts'> | undefined, use: MailboxUse): Date | null {
  const counted = rule ? (rule.counts ?? ['login']) : (['login', 'send', 'receive'] as const);
  const at = { login: use.lastLoginAt, send: use.lastSentAt, receive: use.lastReceivedAt };
  let latest: Date | null = null;
  for (const kind of counted) {
    const when = at[kind];
    if (when && (!latest || when.getTime() > latest.getTime())) latest = when;
  }
  return latest;
}
