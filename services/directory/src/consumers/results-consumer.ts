// Consumer `directory-results` of hopthu.provisioning.results.v1: the provisioner's answers to the
// commands this service issued, and its activity reports (each mailbox's last login).
import { Topics } from '@hopthu/shared/events';
import { startInboxConsumer } from '@hopthu/shared/inbox';
import type { MessageBus } from '@hopthu/shared/kafka';
import type { DirectoryDeps } from '../domain/deps.ts';
import { recordBulkProvisioningResult } from '../domain/imports/record-bulk-result.ts';
import { recordMailboxActivity } from '../domain/inactivity/record-mailbox-activity.ts';
import { recordProvisioningResult } from '../domain/mailboxes/record-provisioning-result.ts';

const RESULT = 'vn.gov.hopthu.provisioning.result.v1';
const ACTIVITY = 'vn.gov.hopthu.provisioning.activity.v1';
const BULK_RESULT = 'vn.gov.hopthu.provisioning.bulk-result.v1';

export function startResultsConsumer(deps: DirectoryDeps, bus: MessageBus) {
  return startInboxConsumer({
    bus,
    db: deps.db,
    consumer: 'directory-results',
    topics: [Topics.provisioningResults],
    logger: deps.logger,
    accepts: (type) => type === RESULT || type === ACTIVITY || type === BULK_RESULT,
    handle: async (event, trx, ctx) => {
      const inTrx = { ...deps, db: trx };
      if (event.type === BULK_RESULT) {
        const counts = await recordBulkProvisioningResult(inTrx, {
          bulk: event.data,
          correlationId: event.correlationid,
        });
        ctx.logger.info({ batchId: event.data.batchId, ...counts }, 'bulk provisioning result recorded');
        return;
      }
      if (event.type === ACTIVITY) {
        const outcome = await recordMailboxActivity(inTrx, event.data);
        ctx.logger.debug({ outcome, mailboxId: event.data.mailboxId }, 'mailbox activity recorded');
        return;
      }
      if (event.type !== RESULT) return;
      const outcome = await recordProvisioningResult(inTrx, {
        result: event.data,
        correlationId: event.correlationid,
      });
      if (outcome !== 'ignored')
        ctx.logger.info({ outcome, mailboxId: event.data.mailboxId }, 'provisioning result recorded');
    },
  });
}
