// Kafka entry point: the directory's published mailbox state (hopthu.directory.v1, compacted),
// kept as a replica for the drift check. Consumer group `<PROVISIONER_CONSUMER>-directory`.
import type { Clock } from '@hopthu/shared/clock';
import { Topics } from '@hopthu/shared/events';
import { startInboxConsumer } from '@hopthu/shared/inbox';
import type { MessageBus } from '@hopthu/shared/kafka';
import type { Logger } from '@hopthu/shared/logger';
import type { Kysely } from 'kysely';
import { upsertDirectoryMailbox } from '../db/directory-mailbox-repository.ts';
import type { ProvisionerDb } from '../db/schema.ts';

export function startDirectoryConsumer(deps: {
  bus: MessageBus;
  db: Kysely<ProvisionerDb>;
  logger: Logger;
  clock: Clock;
  consumer: string;
}): Promise<() => Promise<void>> {
  return startInboxConsumer<ProvisionerDb>({
    bus: deps.bus,
    db: deps.db,
    consumer: deps.consumer,
    topics: [Topics.directory],
    logger: deps.logger,
    accepts: (type) => type === 'vn.gov.hopthu.directory.mailbox.v1',
    handle: async (event, trx) => {
      if (event.type !== 'vn.gov.hopthu.directory.mailbox.v1') return;
      const m = event.data;
      await upsertDirectoryMailbox(
        trx,
        {
          mailboxId: m.mailboxId,
          address: m.address.toLowerCase(),
          domain: m.domain.toLowerCase(),
          state: m.state,
          quotaBytes: m.quotaBytes,
          generation: m.generation,
          aliases: m.aliases,
          forwardTo: m.forwardTo?.toLowerCase() ?? null,
        },
        deps.clock.now(),
      );
    },
  });
}
