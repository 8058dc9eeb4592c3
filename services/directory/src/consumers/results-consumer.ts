// Consumer `directory-results` of hopthu.provisioning.results.v1: the provisioner's answers to the
// commands this service issued.
import { type MessageBus, startInboxConsumer, Topics } from '@hopthu/shared';
import type { DirectoryDeps } from '../domain/deps.ts';
import { recordProvisioningResult } from '../domain/mailboxes/record-provisioning-result.ts';

const RESULT = 'vn.gov.hopthu.provisioning.result.v1';

export function startResultsConsumer(deps: DirectoryDeps, bus: MessageBus) {
  return startInboxConsumer({
    bus,
    db: deps.db,
    consumer: 'directory-results',
    topics: [Topics.provisioningResults],
    logger: deps.logger,
    accepts: (type) => type === RESULT,
    handle: async (event, trx, ctx) => {
      if (event.type !== RESULT) return;
      const outcome = await recordProvisioningResult(trx, event.data, {
        at: deps.clock.now(),
        correlationId: event.correlationid,
      });
      if (outcome !== 'ignored')
        ctx.logger.info({ outcome, mailboxId: event.data.mailboxId }, 'provisioning result recorded');
    },
  });
}
