// Long-poll for the agency (GET /v1/requests/{id}?wait=N): instead of reading the whole request
// every few seconds until it ends, the agency asks once and the answer comes when the request has
// finished or after N seconds (at most 30), whichever is first. While it waits, this reads only
// the request's status (one indexed row): right after this process commits the transaction that
// finished the request (request-end-signal.ts), and every `intervalMs` in case another instance
// finished it; the full view is read once, at the end.
// How long it has waited is elapsed time (the monotonic clock), not a time of day: no business
// rule depends on it, and a test's manual clock must not hold a poll open.
import type { Kysely } from 'kysely';
import { findRequestStatus } from '../../db/request-repository.ts';
import type { Database } from '../../db/schema.ts';
import type { Principal } from '../auth/verify-access-token.ts';
import { watchRequestEnd } from './request-end-signal.ts';
import { requestNotFound } from './request-errors.ts';

export const MAX_WAIT_SECONDS = 30;
const FINISHED: ReadonlySet<string> = new Set(['completed', 'failed', 'rejected', 'partially_completed']);

export async function waitForRequestEnd(
  deps: { db: Kysely<Database>; intervalMs?: number },
  input: {
    principal: Principal;
    requestId: string;
    waitSeconds: number;
    /** True once the caller went away (its connection closed): stop waiting. */
    closed?: () => boolean;
  },
): Promise<void> {
  const { principal, requestId } = input;
  const deadline = performance.now() + Math.min(Math.max(input.waitSeconds, 0), MAX_WAIT_SECONDS) * 1000;
  let wake: (() => void) | null = null;
  const unwatch = watchRequestEnd(requestId, () => wake?.());
  try {
    for (;;) {
      const r = await findRequestStatus(deps.db, requestId);
      if (!r || r.client_agency_id !== principal.agencyId) throw requestNotFound();
      if (FINISHED.has(r.status) || performance.now() >= deadline || input.closed?.()) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(
          resolve,
          Math.min(deps.intervalMs ?? 500, Math.max(0, deadline - performance.now())),
        );
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    unwatch();
  }
}
