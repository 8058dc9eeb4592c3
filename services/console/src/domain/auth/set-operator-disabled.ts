// An admin disables or re-enables an operator account. Disabling ends the account's sessions at
// once (in the same transaction); a disabled account cannot log in. Admins cannot disable
// themselves, so the console is never left without the admin who acted.
import { AppError } from '@hopthu/shared/errors';
import { findOperatorByUsername, setOperatorDisabledAt } from '../../db/operator-repository.ts';
import { deleteSessionsOfOperator } from '../../db/session-repository.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';

export interface SetOperatorDisabledInput {
  username: string;
  disabled: boolean;
  actor: { operatorId: string | null; username: string; clientIp?: string | undefined };
}

export async function setOperatorDisabled(
  deps: ConsoleDeps,
  input: SetOperatorDisabledInput,
): Promise<{ username: string; disabled: boolean; sessionsEnded: number }> {
  const action = input.disabled ? 'operator.disable' : 'operator.enable';
  const target = await findOperatorByUsername(deps.db, input.username);
  if (!target) {
    throw new AppError('not_found', {
      vi: `Không có tài khoản ${input.username}`,
      en: `No account ${input.username}`,
    });
  }
  if (input.disabled && target.id === input.actor.operatorId) {
    await recordAction(deps, {
      operatorId: input.actor.operatorId,
      username: input.actor.username,
      action,
      target: target.username,
      outcome: 'refused',
      details: { reason: 'self' },
      clientIp: input.actor.clientIp,
    });
    throw new AppError('conflict', {
      vi: 'Không thể tự khóa tài khoản của chính mình',
      en: 'You cannot disable your own account',
    });
  }
  const now = deps.clock.now();
  const sessionsEnded = await deps.db.transaction().execute(async (trx) => {
    await setOperatorDisabledAt(trx, target.id, input.disabled ? now : null, now);
    return input.disabled ? deleteSessionsOfOperator(trx, target.id) : 0;
  });
  await recordAction(deps, {
    operatorId: input.actor.operatorId,
    username: input.actor.username,
    action,
    target: target.username,
    outcome: 'ok',
    details: input.disabled ? { sessionsEnded } : {},
    clientIp: input.actor.clientIp,
  });
  return { username: target.username, disabled: input.disabled, sessionsEnded };
}
