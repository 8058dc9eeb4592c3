// A reorganisation changed addresses of an agency: one result mail to the agency's official mailbox
// listing them all (not one per person), and a notice to each holder of the new address. Written as
// deliveries in the inbox transaction, keyed so a redelivered event adds nothing.
import type { NewId } from '@hopthu/shared/clock';
import type { Clock } from '@hopthu/shared/clock';
import type { AgencyReorganised } from '@hopthu/shared/events';
import type { Kysely } from 'kysely';
import { insertDelivery } from '../../db/delivery-repository.ts';
import type { NotifierDb } from '../../db/schema.ts';
import { type MailSettings, newMessageId } from '../mail-settings.ts';
import { composeAgencyReorganisationMail, composeHolderNotice } from './compose-reorganisation-mail.ts';

/** `deps.db`: the caller's transaction (the inbox's). */
export async function recordAgencyReorganised(
  deps: { db: Kysely<NotifierDb>; clock: Clock; newId: NewId; mail: MailSettings },
  event: AgencyReorganised,
): Promise<number> {
  const trx = deps.db;
  const now = deps.clock.now();
  let created = 0;
  // Mail goes to the OLD address of a changed mailbox: it reaches the holder whether or not the
  // mail server has applied the rename yet (before: the mailbox itself; after: the transition alias).
  const agencyTarget =
    event.changes.find((c) => c.to === event.officialMailbox)?.from ?? event.officialMailbox;
  if (agencyTarget) {
    const mail = composeAgencyReorganisationMail(event);
    const id = deps.newId();
    if (
      await insertDelivery(trx, {
        id,
        kind: 'mail',
        purpose: 'reorganisation_agency',
        requestId: `reorganisation:${event.reorganisationId}:${event.agencyId}`,
        agencyId: event.agencyId,
        target: agencyTarget,
        payload: { to: agencyTarget, subject: mail.subject, text: mail.text },
        messageId: newMessageId(id, deps.mail.from),
        now,
      })
    )
      created++;
  }
  for (const change of event.changes) {
    const notice = composeHolderNotice(event, change);
    const id = deps.newId();
    if (
      await insertDelivery(trx, {
        id,
        kind: 'mail',
        purpose: 'reorganisation_holder',
        requestId: `reorganisation:${event.reorganisationId}:${change.mailboxId}`,
        agencyId: event.agencyId,
        target: change.from,
        payload: { to: change.from, subject: notice.subject, text: notice.text },
        messageId: newMessageId(id, deps.mail.from),
        now,
      })
    )
      created++;
  }
  return created;
}
