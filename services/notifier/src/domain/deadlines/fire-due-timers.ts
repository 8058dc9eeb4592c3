// The sweeper's one pass: in one transaction, lock the due timers (SKIP LOCKED, so several
// notifier instances share the work), and for each write the warning, the operators' mail
// delivery, and the fired mark. A timer therefore fires once, however long the notifier was down.
import type { Clock, NewId } from '@hopthu/shared/clock';
import type { Logger } from '@hopthu/shared/logger';
import type { Kysely } from 'kysely';
import { findAgency } from '../../db/agency-repository.ts';
import { claimDueTimers, insertWarning, markTimerFired } from '../../db/deadline-repository.ts';
import { insertDelivery } from '../../db/delivery-repository.ts';
import type { NotifierDb } from '../../db/schema.ts';
import { type MailSettings, newMessageId } from '../mail-settings.ts';
import { composeWarningMail } from './compose-warning.ts';

export interface SweepDeps {
  db: Kysely<NotifierDb>;
  clock: Clock;
  newId: NewId;
  logger: Logger;
  mail: MailSettings;
}

export async function fireDueTimers(deps: SweepDeps, batchSize = 100): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const timers = await claimDueTimers(trx, now, batchSize);
    for (const timer of timers) {
      const warningId = deps.newId();
      const fresh = await insertWarning(trx, { id: warningId, timer, firedAt: now });
      if (fresh) {
        const agency = await findAgency(trx, timer.agencyId);
        const mail = composeWarningMail({
          requestId: timer.requestId,
          kind: timer.kind,
          agencyId: timer.agencyId,
          agencyName: agency?.name,
          reference: timer.reference,
          receivedAt: timer.receivedAt.toISOString(),
          dueAt: timer.dueAt.toISOString(),
        });
        const deliveryId = deps.newId();
        await insertDelivery(trx, {
          id: deliveryId,
          kind: 'mail',
          purpose: `warning_${timer.kind}`,
          requestId: timer.requestId,
          agencyId: timer.agencyId,
          target: deps.mail.operatorsMailbox,
          payload: { to: deps.mail.operatorsMailbox, subject: mail.subject, text: mail.text, warningId },
          messageId: newMessageId(deliveryId, deps.mail.from),
          now,
        });
        deps.logger.info(
          { requestId: timer.requestId, kind: timer.kind, fireAt: timer.fireAt },
          'deadline warning fired',
        );
      }
      await markTimerFired(trx, timer.requestId, timer.kind, now);
    }
    return timers.length;
  });
}
