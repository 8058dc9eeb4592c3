// Kafka entry point: requests (deadlines, results) and the directory's agencies, each event
// handed to one use case inside the inbox transaction.
import type { Clock, NewId } from '@hopthu/shared/clock';
import { Topics } from '@hopthu/shared/events';
import { startInboxConsumer } from '@hopthu/shared/inbox';
import type { MessageBus } from '@hopthu/shared/kafka';
import type { Logger } from '@hopthu/shared/logger';
import type { Kysely } from 'kysely';
import type { NotifierDb } from '../db/schema.ts';
import { replicateAgency } from '../domain/agencies/replicate-agency.ts';
import { scheduleDeadline } from '../domain/deadlines/schedule-deadline.ts';
import type { MailSettings } from '../domain/mail-settings.ts';
import { recordMailboxLocked } from '../domain/locks/record-mailbox-locked.ts';
import { recordAgencyReorganised } from '../domain/reorganisations/record-agency-reorganised.ts';
import { recordRequestFinished } from '../domain/results/record-request-finished.ts';

const HANDLED = new Set([
  'vn.gov.hopthu.request.submitted.v1',
  'vn.gov.hopthu.request.finished.v1',
  'vn.gov.hopthu.directory.agency.v1',
  'vn.gov.hopthu.directory.reorganised.v1',
  'vn.gov.hopthu.directory.mailbox-locked.v1',
]);

export function startNotifierConsumer(deps: {
  bus: MessageBus;
  db: Kysely<NotifierDb>;
  logger: Logger;
  clock: Clock;
  newId: NewId;
  mail: MailSettings;
  consumer: string;
}): Promise<() => Promise<void>> {
  return startInboxConsumer<NotifierDb>({
    bus: deps.bus,
    db: deps.db,
    consumer: deps.consumer,
    topics: [Topics.requests, Topics.directory],
    logger: deps.logger,
    accepts: (type) => HANDLED.has(type),
    handle: async (event, trx, ctx) => {
      switch (event.type) {
        case 'vn.gov.hopthu.request.submitted.v1': {
          const { created } = await scheduleDeadline({ db: trx }, event.data);
          ctx.logger.info(
            { requestId: event.data.requestId, dueAt: event.data.dueAt, created },
            'deadline scheduled',
          );
          return;
        }
        case 'vn.gov.hopthu.request.finished.v1':
          await recordRequestFinished({ ...deps, db: trx, logger: ctx.logger }, event.data);
          ctx.logger.info(
            { requestId: event.data.requestId, status: event.data.status },
            'result deliveries created',
          );
          return;
        case 'vn.gov.hopthu.directory.agency.v1':
          await replicateAgency({ ...deps, db: trx }, event.data);
          return;
        case 'vn.gov.hopthu.directory.mailbox-locked.v1': {
          const created = await recordMailboxLocked({ ...deps, db: trx }, event.data);
          ctx.logger.info(
            {
              mailboxId: event.data.mailboxId,
              agencyId: event.data.agencyId,
              rule: event.data.rule,
              created,
            },
            'lock notice to the agency created',
          );
          return;
        }
        case 'vn.gov.hopthu.directory.reorganised.v1': {
          const created = await recordAgencyReorganised({ ...deps, db: trx }, event.data);
          ctx.logger.info(
            { reorganisationId: event.data.reorganisationId, agencyId: event.data.agencyId, created },
            'reorganisation mails created',
          );
          return;
        }
      }
    },
  });
}
