// Logs an operator in: refuses while too many recent failures (per user name and per address),
// checks the password in constant work whether or not the user exists, then opens a new session
// (a new token every login: rotation) and ends the one the browser came with.
import { AppError } from '@hopthu/shared/errors';
import { findOperatorByUsername } from '../../db/operator-repository.ts';
import {
  countRecentFailures,
  deleteSession,
  insertLoginAttempt,
  insertSession,
} from '../../db/session-repository.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';
import { DUMMY_HASH_PROMISE, verifyPassword } from './password.ts';
import { hashSessionToken, newCsrfToken, newSessionToken, sessionExpiresAt } from './session-policy.ts';

export interface LogInInput {
  username: string;
  password: string;
  clientIp: string;
  /** The session token the browser already had, ended on success. */
  previousToken?: string | undefined;
}

export type LogInResult =
  | { ok: true; token: string; username: string }
  | { ok: false; reason: 'rate_limited' | 'invalid_credentials' };

export async function logIn(deps: ConsoleDeps, input: LogInInput): Promise<LogInResult> {
  const now = deps.clock.now();
  const username = input.username.trim().toLowerCase();
  const failures = await countRecentFailures(deps.db, {
    username,
    clientIp: input.clientIp,
    since: new Date(now.getTime() - deps.login.windowMs),
  });
  if (failures.byUser >= deps.login.maxFailuresPerUser || failures.byIp >= deps.login.maxFailuresPerIp) {
    await recordAction(deps, {
      operatorId: null,
      username,
      action: 'login',
      outcome: 'refused',
      details: { reason: 'rate_limited' },
      clientIp: input.clientIp,
    });
    return { ok: false, reason: 'rate_limited' };
  }

  const operator = await findOperatorByUsername(deps.db, username);
  const matches = await verifyPassword(
    input.password,
    operator?.passwordHash ?? (await DUMMY_HASH_PROMISE()),
  );
  const ok = Boolean(operator && !operator.disabled && matches);
  await insertLoginAttempt(deps.db, { username, clientIp: input.clientIp, succeeded: ok, at: now });
  if (!ok || !operator) {
    await recordAction(deps, {
      operatorId: operator?.id ?? null,
      username,
      action: 'login',
      outcome: 'refused',
      details: { reason: operator?.disabled ? 'disabled' : 'invalid_credentials' },
      clientIp: input.clientIp,
    });
    return { ok: false, reason: 'invalid_credentials' };
  }

  if (input.previousToken) await deleteSession(deps.db, hashSessionToken(input.previousToken));
  const token = newSessionToken();
  await insertSession(deps.db, {
    tokenHash: hashSessionToken(token),
    operatorId: operator.id,
    csrfToken: newCsrfToken(),
    now,
    expiresAt: sessionExpiresAt(now, deps.session),
    clientIp: input.clientIp,
  });
  await recordAction(deps, {
    operatorId: operator.id,
    username,
    action: 'login',
    outcome: 'ok',
    clientIp: input.clientIp,
  });
  return { ok: true, token, username };
}

export const invalidCredentials = () =>
  new AppError('unauthorized', {
    vi: 'Tên đăng nhập hoặc mật khẩu không đúng',
    en: 'Wrong user name or password',
  });
