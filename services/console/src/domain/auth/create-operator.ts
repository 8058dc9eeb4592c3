// Creates an operator account (or, with `resetPassword`, sets a new password on an existing one).
// User names are what the requests service records as the approving operator, so they follow its
// rule: letters, digits, `.`, `_`, `@`, `+`, `-`, lowercase here.
import { AppError } from '@hopthu/shared/errors';
import { insertOperator, updateOperatorPassword } from '../../db/operator-repository.ts';
import type { Role } from '../../db/schema.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';
import { hashPassword, passwordProblem } from './password.ts';

export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._@+-]{1,63}$';

export interface CreateOperatorInput {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  resetPassword?: boolean | undefined;
  /** Who asks: an admin's user name, or `admin-token` for the admin API. */
  actor: { operatorId: string | null; username: string; clientIp?: string | undefined };
}

export async function createOperator(
  deps: ConsoleDeps,
  input: CreateOperatorInput,
): Promise<{ username: string; created: boolean }> {
  const username = input.username.trim().toLowerCase();
  if (!new RegExp(USERNAME_PATTERN).test(username)) {
    throw new AppError('validation_failed', {
      vi: 'Tên đăng nhập chỉ gồm chữ thường không dấu, số và . _ @ + - (2 đến 64 ký tự)',
      en: 'The user name may hold lowercase ASCII letters, digits and . _ @ + - (2 to 64 characters)',
    });
  }
  const problem = passwordProblem(input.password);
  if (problem) {
    throw new AppError('validation_failed', {
      vi: problem,
      en: 'The password needs at least 12 characters with letters and digits',
    });
  }
  const displayName = input.displayName.trim().normalize('NFC') || username;
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  const created = await insertOperator(deps.db, {
    id: deps.newId(),
    username,
    displayName,
    role: input.role,
    passwordHash,
    now,
  });
  if (!created) {
    if (!input.resetPassword) {
      await recordAction(deps, {
        operatorId: input.actor.operatorId,
        username: input.actor.username,
        action: 'operator.create',
        target: username,
        outcome: 'refused',
        details: { reason: 'exists' },
        clientIp: input.actor.clientIp,
      });
      throw new AppError('conflict', {
        vi: `Tên đăng nhập ${username} đã có`,
        en: `The user name ${username} is taken`,
      });
    }
    await updateOperatorPassword(deps.db, username, passwordHash, now);
  }
  await recordAction(deps, {
    operatorId: input.actor.operatorId,
    username: input.actor.username,
    action: created ? 'operator.create' : 'operator.reset_password',
    target: username,
    outcome: 'ok',
    details: created ? { role: input.role } : {},
    clientIp: input.actor.clientIp,
  });
  return { username, created };
}
