// A request was submitted: store its deadline as a durable timer with its warning times.
// dueAt comes with the event (computed by the requests service); nothing is recomputed here.
import type { EventData } from '@hopthu/shared/events';
import type { Kysely } from 'kysely';
import { insertDeadline } from '../../db/deadline-repository.ts';
import type { NotifierDb } from '../../db/schema.ts';
import { planDeadlineTimers } from './deadline-timers.ts';

/** `deps.db`: the caller's transaction (the inbox's). */
export async function scheduleDeadline(
  deps: { db: Kysely<NotifierDb> },
  submitted: EventData<'vn.gov.hopthu.request.submitted.v1'>,
): Promise<{ created: boolean }> {
  const receivedAt = new Date(submitted.receivedAt);
  const dueAt = new Date(submitted.dueAt);
  const created = await insertDeadline(
    deps.db,
    {
      requestId: submitted.requestId,
      agencyId: submitted.agencyId,
      province: submitted.province,
      reference: submitted.reference,
      itemCount: submitted.itemCount,
      receivedAt,
      dueAt,
      dueConfirmed: submitted.dueConfirmed,
    },
    planDeadlineTimers(receivedAt, dueAt),
  );
  return { created };
}
