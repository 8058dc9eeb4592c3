// The logged-in operator changes their own password: the current one is required (and failures
// count towards the login rate limit, so a left-open session cannot be used to guess it), the new
// one follows the password rule; the operator's other sessions end, this one stays.
import { findOperatorById, updateOperatorPasswordById } from '../../db/operator-repository.ts';
import {
  countRecentFailures,
  deleteSessionsOfOperator,
  insertLoginAttempt,
  type SessionRecord,
} from '../../db/session-repository.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';

export interface ChangePasswordInput {
  session: SessionRecord;
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
  clientIp: string;
}

export type ChangePasswordResult =
  | { ok: true; otherSessionsEnded: number }
  | { ok: false; reason: 'rate_limited' | 'wrong_password' | 'mismatch' | 'same' | 'weak'; message?: string };

export async function changePassword(
  deps: ConsoleDeps,
  input: ChangePasswordInput,
): Promise<ChangePasswordResult> {
  const { session } = input;
  const now = deps.clock.now();
  const refuse = async (reason: Exclude<ChangePasswordResult, { ok: true }>['reason'], message?: string) => {
    await recordAction(deps, {
      operatorId: session.operatorId,
      username: session.username,
      action: 'account.change_password',
      target: session.username,
      outcome: 'refused',
      details: { reason },
      clientIp: input.clientIp,
    });
    return { ok: false as const, reason, ...(message ? { message } : {}) };
  };

  const failures = await countRecentFailures(deps.db, {
    username: session.username,
    clientIp: input.clientIp,
    since: new Date(now.getTime() - deps.login.windowMs),
  });
  if (failures.byUser >= deps.login.maxFailuresPerUser || failures.byIp >= deps.login.maxFailuresPerIp) {
    return refuse('rate_limited');
  }
  const operator = await findOperatorById(deps.db, session.operatorId);
  if (!operator || !(await verifyPassword(input.currentPassword, operator.passwordHash))) {
    await insertLoginAttempt(deps.db, {
      username: session.username,
      clientIp: input.clientIp,
      succeeded: false,
      at: now,
    });
    return refuse('wrong_password');
  }
  if (input.newPassword !== input.confirmPassword) return refuse('mismatch');
  if (input.newPassword === input.currentPassword) return refuse('same');
  const problem = passwordProblem(input.newPassword);
  if (problem) return refuse('weak', problem);

  const passwordHash = await hashPassword(input.newPassword);
  const otherSessionsEnded = await deps.db.transaction().execute(async (trx) => {
    await updateOperatorPasswordById(trx, operator.id, passwordHash, now);
    return deleteSessionsOfOperator(trx, operator.id, session.tokenHash);
  });
  await recordAction(deps, {
    operatorId: session.operatorId,
    username: session.username,
    action: 'account.change_password',
    target: session.username,
    outcome: 'ok',
    details: { otherSessionsEnded },
    clientIp: input.clientIp,
  });
  return { ok: true, otherSessionsEnded };
}
