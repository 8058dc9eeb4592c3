// Deletes ended sessions and login attempts old enough to no longer count. Ended sessions are
// refused when presented anyway; this only keeps the tables small. One pass of the console's
// session sweep (main.ts declares it as a loop).
import { deleteExpiredSessions, deleteLoginAttemptsBefore } from '../../db/session-repository.ts';
import type { ConsoleDeps } from '../deps.ts';

export async function sweepEndedSessions(
  deps: Pick<ConsoleDeps, 'db' | 'clock' | 'session' | 'login'>,
): Promise<number> {
  const now = deps.clock.now();
  await deleteExpiredSessions(deps.db, now, new Date(now.getTime() - deps.session.idleMs));
  // an attempt counts for the login window; a day at least, so the audit of a day's failures stays
  await deleteLoginAttemptsBefore(
    deps.db,
    new Date(now.getTime() - Math.max(deps.login.windowMs, 86_400_000)),
  );
  // one pass clears everything due; the next is due after the interval
  return 0;
}
