// A request is finished: close its deadline and create the deliveries that tell the agency that
// filed it (result mail to its official mailbox, a copy to the sub-unit a parent filed for, a copy
// where the province's policy says so (Kiên Giang Điều 5 khoản 3: the Sở TTTT), the signed webhook
// if the filer registered one).
// Everything is written in the inbox transaction; the delivery worker sends later, so a mail
// server or receiver that is down only delays the result.
import type { Clock, NewId } from '@hopthu/shared/clock';
import type { RequestFinished } from '@hopthu/shared/events';
import type { Logger } from '@hopthu/shared/logger';
import { listPolicies } from '@hopthu/naming';
import type { Kysely } from 'kysely';
import { findAgency, findWebhookSubscription } from '../../db/agency-repository.ts';
import { closeDeadline } from '../../db/deadline-repository.ts';
import { insertDelivery } from '../../db/delivery-repository.ts';
import type { NotifierDb } from '../../db/schema.ts';
import { type MailSettings, newMessageId } from '../mail-settings.ts';
import { composeResultMail, composeResultPayload } from './compose-result.ts';

export interface FinishDeps {
  /** The caller's transaction (the inbox's). */
  db: Kysely<NotifierDb>;
  clock: Clock;
  newId: NewId;
  logger: Logger;
  mail: MailSettings;
}

export async function recordRequestFinished(deps: FinishDeps, finished: RequestFinished): Promise<void> {
  const trx = deps.db;
  const now = deps.clock.now();
  await closeDeadline(trx, finished.requestId, finished.status, now);

  // The result goes to the agency that filed the request: a parent filing for its sub-unit gets it
  // (and the sub-unit a copy, below); an agency filing for itself is both.
  const filerId = finished.filerAgencyId ?? finished.agencyId;
  const agency = await findAgency(trx, filerId);
  const agencyInfo = {
    name: agency?.name ?? filerId,
    abbreviation: agency?.abbreviation,
    officialMailbox: agency?.officialMailbox ?? null,
  };
  const base = { requestId: finished.requestId, agencyId: finished.agencyId, now };

  const mail = composeResultMail(finished, agencyInfo);
  const agencyDeliveryId = deps.newId();
  await insertDelivery(trx, {
    ...base,
    id: agencyDeliveryId,
    kind: 'mail',
    purpose: 'result_agency',
    target: agencyInfo.officialMailbox,
    payload: { to: agencyInfo.officialMailbox, subject: mail.subject, text: mail.text },
    messageId: newMessageId(agencyDeliveryId, deps.mail.from),
    ...(agencyInfo.officialMailbox
      ? {}
      : {
          status: 'failed' as const,
          lastError: agency
            ? 'the agency has no official mailbox in the directory'
            : 'the agency is unknown to the notifier (no directory.agency.v1 event yet)',
        }),
  });
  if (!agencyInfo.officialMailbox) {
    deps.logger.warn(
      { requestId: finished.requestId, agencyId: finished.agencyId },
      'no official mailbox for result',
    );
  }

  // The sub-unit the request was filed for gets a copy of what its parent filed.
  if (finished.filerAgencyId && finished.filerAgencyId !== finished.agencyId) {
    const subunit = await findAgency(trx, finished.agencyId);
    if (
      subunit?.officialMailbox &&
      subunit.officialMailbox.toLowerCase() !== agencyInfo.officialMailbox?.toLowerCase()
    ) {
      const copy = composeResultMail(finished, agencyInfo, { copyFor: subunit.name });
      const copyId = deps.newId();
      await insertDelivery(trx, {
        ...base,
        id: copyId,
        kind: 'mail',
        purpose: 'result_subunit',
        target: subunit.officialMailbox,
        payload: { to: subunit.officialMailbox, subject: copy.subject, text: copy.text },
        messageId: newMessageId(copyId, deps.mail.from),
      });
    }
  }

  // The copy the province's policy names (`resultCopy`: Kiên Giang Điều 5 khoản 3, the Sở TTTT);
  // none where it names nobody. When the requester is that office itself, its own result mail
  // already is the copy, and a second one would only be a duplicate in the same inbox.
  const copyTo = listPolicies().find((p) => p.id === finished.province)?.resultCopy ?? null;
  if (copyTo && copyTo.address.toLowerCase() !== agencyInfo.officialMailbox?.toLowerCase()) {
    const copy = composeResultMail(finished, agencyInfo, { copyFor: copyTo.name });
    const copyId = deps.newId();
    await insertDelivery(trx, {
      ...base,
      id: copyId,
      kind: 'mail',
      purpose: 'result_copy',
      target: copyTo.address,
      payload: { to: copyTo.address, subject: copy.subject, text: copy.text },
      messageId: newMessageId(copyId, deps.mail.from),
    });
  }

  // the filer's system registered the webhook (it filed the request)
  const subscription = await findWebhookSubscription(trx, filerId);
  if (subscription) {
    const payload = composeResultPayload(finished);
    const webhookId = `msg_${deps.newId().replaceAll('-', '')}`;
    await insertDelivery(trx, {
      ...base,
      id: deps.newId(),
      kind: 'webhook',
      purpose: 'result_webhook',
      target: subscription.url,
      payload,
      // the exact bytes signed and sent on every attempt
      body: JSON.stringify(payload),
      webhookId,
    });
  }
}
