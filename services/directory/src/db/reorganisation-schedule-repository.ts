// The Kysely code of scheduled reorganisations: plans approved and asked to apply before their
// effective date, which the schedule loop applies on that date, and the cancellation of a plan
// not yet being applied.
import type { Kysely } from 'kysely';
import type { DirectoryDatabase } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

export interface ScheduledReorganisation {
  id: string;
  effectiveFrom: string;
  scheduledBy: string | null;
}

const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

/** Every scheduled plan, earliest effective date first. */
export async function listScheduledReorganisations(db: Db): Promise<ScheduledReorganisation[]> {
  const rows = await db
    .selectFrom('reorganisations')
    .select(['id', 'effective_from', 'scheduled_by'])
    .where('state', '=', 'scheduled')
    .orderBy('effective_from')
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ id: r.id, effectiveFrom: day(r.effective_from), scheduledBy: r.scheduled_by }));
}

/** approved → scheduled, remembering who asked for the apply. */
export async function markScheduled(db: Db, id: string, operator: string): Promise<void> {
  await db
    .updateTable('reorganisations')
    .set({ state: 'scheduled', scheduled_by: operator })
    .where('id', '=', id)
    .where('state', '=', 'approved')
    .execute();
}

/** Who scheduled a plan, or null when it was not scheduled. */
export async function findScheduledBy(db: Db, id: string): Promise<string | null> {
  const row = await db
    .selectFrom('reorganisations')
    .select('scheduled_by')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.scheduled_by ?? null;
}

/** States a plan may be cancelled from: nothing of it has been applied yet. */
export const CANCELLABLE_STATES = ['computed', 'approved', 'scheduled'] as const;

/** computed, approved or scheduled → cancelled, with who, when and why; false when it was in no such state. */
export async function markCancelled(
  db: Db,
  id: string,
  cancel: { operator: string; at: Date; reason: string },
): Promise<boolean> {
  const result = await db
    .updateTable('reorganisations')
    .set({
      state: 'cancelled',
      cancelled_by: cancel.operator,
      cancelled_at: cancel.at,
      cancel_reason: cancel.reason,
    })
    .where('id', '=', id)
    .where('state', 'in', [...CANCELLABLE_STATES])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
