// Thin Kafka entry points: results of provisioning, and the directory's agency/mailbox state
// (the replica that authorisation reads).
import { Topics } from '@hopthu/shared/events';
import { type EventHandler, type InboxConsumerOptions, startInboxConsumer } from '@hopthu/shared/inbox';
import type { Clock } from '@hopthu/shared/clock';
import type { MessageBus } from '@hopthu/shared/kafka';
import type { Logger } from '@hopthu/shared/logger';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { fileImportCredentials } from '../domain/credentials/file-import-credentials.ts';
import { recordAgencyState, recordMailboxState } from '../domain/replica/record-directory-state.ts';
import type { SubmitDeps } from '../domain/requests/submit-request.ts';
import { recordResult, recordResults } from '../domain/results/record-result.ts';

/** Each result ends its item (recordResult); the component tests deliver through it too. */
export function resultsHandler(deps: { clock: Clock; publicUrl: string }): EventHandler<Database> {
  return async (event, trx) => {
    if (event.type === 'vn.gov.hopthu.provisioning.result.v1')
      await recordResult(
        { db: trx, clock: deps.clock, publicUrl: deps.publicUrl },
        { result: event.data, correlationId: event.correlationid },
      );
  };
}

/**
 * What the results consumer runs: `handle` for an event alone, and `handleMany` for a batch's
 * fresh events together in the inbox's transaction (the bench feeds both the same way).
 */
export function resultsConsumerHandlers(deps: { clock: Clock; publicUrl: string }): {
  handle: EventHandler<Database>;
  handleMany?: InboxConsumerOptions<Database>['handleMany'];
} {
  return {
    handle: resultsHandler(deps),
    // a batch's results together: items ended set-wise, each request settled once (record-result.ts)
    handleMany: async (events, trx) =>
      recordResults(
        { db: trx, clock: deps.clock, publicUrl: deps.publicUrl },
        events.flatMap(({ event }) =>
          event.type === 'vn.gov.hopthu.provisioning.result.v1'
            ? [{ result: event.data, correlationId: event.correlationid }]
            : [],
        ),
      ),
  };
}

/** The replica's agencies and mailboxes, and the credentials an import owes, filed as a request. */
export function directoryHandler(deps: { clock: Clock; submit: SubmitDeps }): EventHandler<Database> {
  return async (event, trx) => {
    const replica = { db: trx, clock: deps.clock };
    if (event.type === 'vn.gov.hopthu.directory.agency.v1') await recordAgencyState(replica, event.data);
    else if (event.type === 'vn.gov.hopthu.directory.mailbox.v1')
      await recordMailboxState(replica, event.data);
    // filed in its own transaction (submitRequest's), idempotent by its key: a redelivery after
    // this inbox transaction failed answers the same request
    else if (event.type === 'vn.gov.hopthu.directory.import-credentials.v1')
      await fileImportCredentials(deps.submit, event.data);
  };
}

/** Only provisioning results: the topic also carries the provisioner's activity reports, the directory's business. */
export const acceptsResult = (type: string) => type === 'vn.gov.hopthu.provisioning.result.v1';

export function startResultsConsumer(deps: {
  db: Kysely<Database>;
  bus: MessageBus;
  logger: Logger;
  clock: Clock;
  publicUrl: string;
}) {
  return startInboxConsumer({
    bus: deps.bus,
    db: deps.db,
    consumer: 'requests-results',
    topics: [Topics.provisioningResults],
    logger: deps.logger,
    accepts: acceptsResult,
    ...resultsConsumerHandlers(deps),
  });
}

export function startDirectoryConsumer(deps: {
  db: Kysely<Database>;
  bus: MessageBus;
  logger: Logger;
  clock: Clock;
  /** What filing a request needs: the credentials an import owes are filed as one. */
  submit: SubmitDeps;
}) {
  return startInboxConsumer({
    bus: deps.bus,
    db: deps.db,
    consumer: 'requests-directory',
    topics: [Topics.directory],
    logger: deps.logger,
    handle: directoryHandler(deps),
  });
}
