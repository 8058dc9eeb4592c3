// Finds the operator behind a session token: an unknown, expired (idle or past its end) or
// disabled operator's session is no session (and an expired one is deleted). Keeps idle expiry
// sliding by touching the session at most once a minute.
import { deleteSession, findSession, type SessionRecord, touchSession } from '../../db/session-repository.ts';
import type { ConsoleDeps } from '../deps.ts';
import { hashSessionToken, isSessionExpired, shouldTouch } from './session-policy.ts';

export async function resolveSession(
  deps: Pick<ConsoleDeps, 'db' | 'clock' | 'session'>,
  input: { token: string | undefined },
): Promise<SessionRecord | undefined> {
  const { token } = input;
  if (!token) return undefined;
  const tokenHash = hashSessionToken(token);
  const session = await findSession(deps.db, tokenHash);
  if (!session) return undefined;
  const now = deps.clock.now();
  if (isSessionExpired(session, now, deps.session) || session.operatorDisabled) {
    await deleteSession(deps.db, tokenHash);
    return undefined;
  }
  if (shouldTouch(session, now)) await touchSession(deps.db, tokenHash, now);
  return session;
}
