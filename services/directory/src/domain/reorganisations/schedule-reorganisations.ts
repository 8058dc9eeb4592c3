// Effective-dated reorganisations (issue 12): a plan approved by two operators and asked to apply
// before its effective date is not applied at once; it waits as `scheduled` and the directory's
// schedule loop applies it when that date begins in Vietnam (00:00 +07:00, the instant its agency
// versions start from). The state is in the database, so a restart loses nothing: the loop's first
// pass after a start applies every plan whose date came while the directory was down. The clock is
// the injected one, and an operator (or a test) may run the loop as of another instant.
import { AppError } from '@hopthu/shared/errors';
import { findReorganisation, updateReorganisation } from '../../db/reorganisation-repository.ts';
import {
  findScheduledBy,
  listScheduledReorganisations,
  markScheduled,
} from '../../db/reorganisation-schedule-repository.ts';
import type { DirectoryDeps } from '../deps.ts';
import { type ReorganisationRunner, startApply } from './apply-reorganisation.ts';
import { findReorganisationOr404, reorganisationView } from './dry-run-reorganisation.ts';

/** How often the directory looks for scheduled plans that have come due. */
export const SCHEDULE_INTERVAL_MS = 60_000;

/** The instant a plan takes effect: 00:00 of its date in Vietnam (UTC+7, no daylight saving). */
export function effectiveInstant(effectiveFrom: string): Date {
  return new Date(`${effectiveFrom}T00:00:00+07:00`);
}

/** True when the plan's effective date has begun at `now`. */
export function isDue(effectiveFrom: string, now: Date): boolean {
  return effectiveInstant(effectiveFrom).getTime() <= now.getTime();
}

/** The view of a reorganisation with when a scheduled one will be applied and who scheduled it. */
export async function scheduledView(deps: DirectoryDeps, id: string) {
  const view = await reorganisationView(deps, id);
  const scheduled = view.state === 'scheduled';
  return {
    ...view,
    scheduledFor: scheduled ? effectiveInstant(view.effectiveFrom).toISOString() : null,
    scheduledBy: scheduled ? await findScheduledBy(deps.db, id) : null,
  };
}

/**
 * POST /admin/reorganisations/:id/apply: an approved plan whose date has come is applied now
 * (startApply); one whose date is still ahead becomes `scheduled`; a cancelled one is refused (409).
 * Anything else is startApply's answer (409 before two approvals, the progress while it applies,
 * the result once applied).
 */
export async function requestApply(
  deps: DirectoryDeps,
  runner: ReorganisationRunner,
  input: { id: string; operator: string; maxPerSecond?: number | undefined },
) {
  const row = await findReorganisationOr404(deps, input.id);
  if (row.state === 'cancelled')
    throw new AppError('conflict', {
      vi: 'Kế hoạch đã bị hủy, không thể thực hiện',
      en: 'The reorganisation is cancelled and cannot be applied',
    });
  const now = deps.clock.now();
  if (row.state === 'approved' && !isDue(row.effectiveFrom, now)) {
    await deps.db.transaction().execute(async (trx) => {
      const fresh = await findReorganisation(trx, input.id, { forUpdate: true });
      if (fresh?.state === 'approved') await markScheduled(trx, input.id, input.operator);
    });
    deps.logger.info(
      { reorganisationId: input.id, operator: input.operator, effectiveFrom: row.effectiveFrom },
      'reorganisation scheduled for its effective date',
    );
    return scheduledView(deps, input.id);
  }
  if (row.state === 'scheduled') return scheduledView(deps, input.id);
  await startApply(deps, runner, input.id, { maxPerSecond: input.maxPerSecond });
  return scheduledView(deps, input.id);
}

/**
 * One pass of the schedule loop: every scheduled plan whose date has begun at `asOf` (default:
 * now) goes `applying` and is handed to the runner. Each under a row lock, so two directories or
 * two passes never start one twice. Returns the ids started.
 */
export async function applyDueReorganisations(
  deps: DirectoryDeps,
  runner: ReorganisationRunner,
  options: { asOf?: Date | undefined } = {},
): Promise<string[]> {
  const asOf = options.asOf ?? deps.clock.now();
  const started: string[] = [];
  for (const plan of await listScheduledReorganisations(deps.db)) {
    if (!isDue(plan.effectiveFrom, asOf)) break; // earliest first: the rest are later still
    const went = await deps.db.transaction().execute(async (trx) => {
      const fresh = await findReorganisation(trx, plan.id, { forUpdate: true });
      if (fresh?.state !== 'scheduled') return false;
      await updateReorganisation(trx, plan.id, { state: 'applying', applyStartedAt: deps.clock.now() });
      return true;
    });
    if (!went) continue;
    deps.logger.info(
      { reorganisationId: plan.id, effectiveFrom: plan.effectiveFrom, scheduledBy: plan.scheduledBy },
      'scheduled reorganisation due: applying',
    );
    void runner.start(plan.id);
    started.push(plan.id);
  }
  return started;
}
