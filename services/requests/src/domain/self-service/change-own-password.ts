// A mailbox holder changes their own password (self-service page and API, regulations §5):
//   1. the brake: too many wrong passwords for this address or from this client → 429;
//   2. the current password is checked by the mail server itself (Dovecot's auth: the password in
//      force, an issued one that must be changed included); wrong, or no such active mailbox → 401
//      (the same answer, so addresses cannot be probed), counted for the brake;
//   3. the new password against the province's rule and hopthu's (not the address, the holder's
//      name, the current password) → 422 naming every broken rule;
//   4. its hash (never the password) leaves in selfservice.password.changed.v1 through the outbox, in
//      the transaction that records the change; the directory and the provisioner carry it to the
//      mail server (history, exactly once), where it is in force within seconds.
import type { Clock } from '@hopthu/shared/clock';
import { checkPassword, getPolicy, type PasswordViolation } from '@hopthu/naming';
import { buildEvent, Topics } from '@hopthu/shared/events';
import type { Logger } from '@hopthu/shared/logger';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import {
  countRecentFailures,
  deleteFailuresBefore,
  findSelfServiceMailbox,
  insertFailures,
  insertPasswordChange,
} from '../../db/self-service-repository.ts';
import { hashForMailServer } from '../secrets.ts';
import { type BrakeLimits, brakeRetryAfter } from './attempt-brake.ts';

export const EVENT_SOURCE = 'hopthu/requests';

export interface SelfServiceDeps {
  db: Kysely<Database>;
  logger: Logger;
  clock: Clock;
  newId: () => string;
  limits: BrakeLimits;
  /** Does the mail server accept this password for this address (client address for its log)? */
  verifyPassword: (address: string, password: string, clientIp: string) => Promise<boolean>;
}

export interface ChangeOwnPasswordInput {
  address: string;
  currentPassword: string;
  newPassword: string;
  clientIp: string;
}

export type ChangeOwnPasswordResult =
  | { kind: 'changed'; changeId: string; address: string }
  | { kind: 'wrong_password' }
  | { kind: 'rejected'; violations: PasswordViolation[] }
  | { kind: 'too_many'; retryAfterSeconds: number };

export async function changeOwnPassword(
  deps: SelfServiceDeps,
  input: ChangeOwnPasswordInput,
): Promise<ChangeOwnPasswordResult> {
  const address = input.address.trim().toLowerCase();
  const now = deps.clock.now();
  const since = new Date(now.getTime() - deps.limits.windowSeconds * 1000);
  const [byAddress, byClient] = await Promise.all([
    countRecentFailures(deps.db, 'address', address, since),
    countRecentFailures(deps.db, 'client', input.clientIp, since),
  ]);
  const retryAfterSeconds = brakeRetryAfter(deps.limits, { address: byAddress, client: byClient }, now);
  if (retryAfterSeconds > 0) {
    deps.logger.warn(
      { address, clientIp: input.clientIp, retryAfterSeconds },
      'self-service: attempts braked',
    );
    return { kind: 'too_many', retryAfterSeconds };
  }

  const mailbox = await findSelfServiceMailbox(deps.db, address);
  const accepted = await deps.verifyPassword(address, input.currentPassword, input.clientIp);
  if (!accepted || !mailbox || mailbox.state !== 'active') {
    await insertFailures(
      deps.db,
      [
        { scope: 'address', key: address },
        { scope: 'client', key: input.clientIp },
      ],
      deps.clock.now(),
    );
    await deleteFailuresBefore(deps.db, since);
    deps.logger.info({ address, clientIp: input.clientIp }, 'self-service: current password refused');
    return { kind: 'wrong_password' };
  }

  const policy = getPolicy(mailbox.province);
  const violations = checkPassword(policy.password, input.newPassword, {
    address,
    holderName: mailbox.type === 'personal' ? (mailbox.displayName ?? undefined) : undefined,
    currentPassword: input.currentPassword,
  });
  if (violations.length > 0) {
    deps.logger.info({ address, rules: violations.map((v) => v.code) }, 'self-service: new password refused');
    return { kind: 'rejected', violations };
  }

  const passwordHash = await hashForMailServer(input.newPassword);
  const changeId = deps.newId();
  const changedAt = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await insertPasswordChange(trx, { id: changeId, mailboxId: mailbox.mailboxId, address, changedAt });
    await insertOutboxMessage(trx, {
      topic: Topics.requests,
      key: mailbox.mailboxId,
      event: buildEvent(
        'vn.gov.hopthu.selfservice.password.changed.v1',
        { changeId, mailboxId: mailbox.mailboxId, address, passwordHash, changedAt: changedAt.toISOString() },
        { source: EVENT_SOURCE, subject: mailbox.mailboxId, correlationId: changeId, time: changedAt },
      ),
    });
  });
  deps.logger.info({ address, changeId }, 'self-service: password changed, hash sent to the directory');
  return { kind: 'changed', changeId, address };
}
