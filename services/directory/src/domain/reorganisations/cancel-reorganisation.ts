// An operator cancels a reorganisation before anything of it is applied: a plan computed, approved,
// or scheduled for its effective date (the schedule loop then never applies it). The reason is
// required and kept with who and when; a plan being applied, applied or already cancelled is
// refused (409) and nothing changes.
import { AppError } from '@hopthu/shared/errors';
import { findReorganisation } from '../../db/reorganisation-repository.ts';
import { CANCELLABLE_STATES, markCancelled } from '../../db/reorganisation-schedule-repository.ts';
import type { DirectoryDeps } from '../deps.ts';
import { findReorganisationOr404 } from './dry-run-reorganisation.ts';
import { scheduledView } from './schedule-reorganisations.ts';

const REFUSED: Record<string, { vi: string; en: string }> = {
  applying: {
    vi: 'Kế hoạch đang được thực hiện, không thể hủy',
    en: 'The reorganisation is being applied and cannot be cancelled',
  },
  applied: {
    vi: 'Kế hoạch đã được thực hiện, không thể hủy',
    en: 'The reorganisation is applied and cannot be cancelled',
  },
  cancelled: { vi: 'Kế hoạch đã bị hủy', en: 'The reorganisation is already cancelled' },
};

/** Whether a plan in this state may still be cancelled (nothing of it applied). */
export function isCancellable(state: string): boolean {
  return (CANCELLABLE_STATES as readonly string[]).includes(state);
}

export async function cancelReorganisation(
  deps: DirectoryDeps,
  input: { id: string; operator: string; reason: string },
) {
  const reason = input.reason.trim();
  if (!reason) {
    throw new AppError(
      'validation_failed',
      { vi: 'Cần nêu lý do hủy', en: 'A reason for the cancellation is required' },
      { errors: [{ field: '/reason', message: { vi: 'Cần nêu lý do hủy', en: 'reason is required' } }] },
    );
  }
  await findReorganisationOr404(deps, input.id);
  const before = await deps.db.transaction().execute(async (trx) => {
    const row = await findReorganisation(trx, input.id, { forUpdate: true });
    const state = row?.state ?? 'cancelled';
    if (!isCancellable(state)) throw new AppError('conflict', REFUSED[state] ?? REFUSED.cancelled!);
    await markCancelled(trx, input.id, { operator: input.operator, at: deps.clock.now(), reason });
    return state;
  });
  deps.logger.info(
    { reorganisationId: input.id, operator: input.operator, from: before },
    'reorganisation cancelled',
  );
  return scheduledView(deps, input.id);
}
