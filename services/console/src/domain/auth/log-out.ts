// Ends the session the browser holds and records it.
import type { SessionRecord } from '../../db/session-repository.ts';
import { deleteSession } from '../../db/session-repository.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';

export async function logOut(
  deps: ConsoleDeps,
  input: { session: SessionRecord; clientIp: string },
): Promise<void> {
  const { session, clientIp } = input;
  await deleteSession(deps.db, session.tokenHash);
  await recordAction(deps, {
    operatorId: session.operatorId,
    username: session.username,
    action: 'logout',
    outcome: 'ok',
    clientIp,
  });
}
