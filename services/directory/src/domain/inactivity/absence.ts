// A known absence of a mailbox's holder (leave, study: regulations §6). Bắc Ninh Điều 4 khoản 2
// điểm c locks a mailbox unused for 6 months "mà không có lý do" — without a reason — so an agency
// that gives one holds the lock (and, elsewhere, a reclaim proposal) back until the absence ends;
// from then the usual period applies. Recorded in the mailbox's history either way.
import { AppError } from '@hopthu/shared/errors';
import { insertHistory } from '../../db/history-repository.ts';
import { findMailboxAbsence, setMailboxAbsence } from '../../db/inactivity-repository.ts';
import { findMailboxById } from '../../db/mailbox-repository.ts';
import type { DirectoryDeps } from '../deps.ts';

/** The longest absence an agency may give at once (a long course of study). */
export const MAX_ABSENCE_DAYS = 3 * 366;
const DAY_MS = 24 * 3600 * 1000;

/** Whether an absence holds the inactivity rule back at `now`. */
export function isHeldByAbsence(absentUntil: Date | null, now: Date): boolean {
  return absentUntil !== null && absentUntil.getTime() > now.getTime();
}

/** Checks an absence's end: a date after now, at most MAX_ABSENCE_DAYS ahead. */
export function checkAbsenceUntil(until: string, now: Date): Date {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(until) ? new Date(`${until}T23:59:59+07:00`) : new Date(until);
  if (Number.isNaN(at.getTime())) {
    throw badUntil('Ngày kết thúc không hợp lệ (YYYY-MM-DD)', 'until is not a date (YYYY-MM-DD)');
  }
  if (at.getTime() <= now.getTime()) {
    throw badUntil('Ngày kết thúc phải ở tương lai', 'until must be in the future');
  }
  if (at.getTime() - now.getTime() > MAX_ABSENCE_DAYS * DAY_MS) {
    throw badUntil(
      `Thời gian vắng mặt tối đa ${MAX_ABSENCE_DAYS} ngày; hãy gia hạn sau`,
      `An absence is at most ${MAX_ABSENCE_DAYS} days; extend it later`,
    );
  }
  return at;
}

function badUntil(vi: string, en: string): AppError {
  return new AppError(
    'validation_failed',
    { vi, en },
    { errors: [{ field: '/until', message: { vi, en } }] },
  );
}

export async function recordAbsence(
  deps: Pick<DirectoryDeps, 'db' | 'clock'>,
  input: { mailboxId: string; until: string | null; reason?: string | undefined; actor: string },
) {
  const now = deps.clock.now();
  const until = input.until === null ? null : checkAbsenceUntil(input.until, now);
  return deps.db.transaction().execute(async (trx) => {
    const mailbox = await findMailboxById(trx, input.mailboxId, { forUpdate: true });
    if (!mailbox || mailbox.state === 'deleted') {
      throw new AppError('not_found', { vi: 'Không có hộp thư này', en: 'No such mailbox' });
    }
    const before = await findMailboxAbsence(trx, mailbox.id);
    const reason = input.reason?.trim() ?? '';
    await setMailboxAbsence(trx, mailbox.id, until ? { until, reason } : null);
    await insertHistory(trx, {
      mailboxId: mailbox.id,
      at: now,
      change: until ? 'absence_recorded' : 'absence_ended',
      reason: until ? reason : 'absence ended',
      requestId: null,
      itemId: null,
      actor: input.actor,
      details: { until: until?.toISOString() ?? null, before: before?.until.toISOString() ?? null },
    });
    return {
      mailboxId: mailbox.id,
      absentUntil: until?.toISOString() ?? null,
      reason: until ? reason : null,
    };
  });
}
