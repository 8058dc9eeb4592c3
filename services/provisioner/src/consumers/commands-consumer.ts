// Kafka entry point: provisioning commands, each applied by one use case inside the inbox
// transaction; messages that can never succeed go to the dead-letter use case.
import type { Clock, NewId } from '@hopthu/shared/clock';
import { Topics } from '@hopthu/shared/events';
import { isTransientError, startInboxConsumer } from '@hopthu/shared/inbox';
import type { MessageBus } from '@hopthu/shared/kafka';
import type { Logger } from '@hopthu/shared/logger';
import type { Kysely } from 'kysely';
import { type MailServerAdapter, MailServerUnavailableError } from '../domain/mail-server-adapter.ts';
import type { ProvisionerDb } from '../db/schema.ts';
import { applyBulkCommand } from '../domain/commands/apply-bulk-command.ts';
import { applyProvisioningCommand } from '../domain/commands/apply-provisioning-command.ts';
import { deadLetterMessage } from '../domain/dead-letters/dead-letter-message.ts';

export function startCommandsConsumer(deps: {
  bus: MessageBus;
  db: Kysely<ProvisionerDb>;
  adapter: MailServerAdapter;
  logger: Logger;
  clock: Clock;
  newId: NewId;
  consumer: string;
  maxAttempts: number;
}): Promise<() => Promise<void>> {
  return startInboxConsumer<ProvisionerDb>({
    bus: deps.bus,
    db: deps.db,
    consumer: deps.consumer,
    topics: [Topics.provisioningCommands],
    logger: deps.logger,
    maxAttempts: deps.maxAttempts,
    // each command waits on two databases (vmail, then this one): overlap six partitions
    concurrency: 6,
    // a mail server that cannot be reached is retried in place for as long as it takes
    isTransient: (err) => err instanceof MailServerUnavailableError || isTransientError(err),
    accepts: (type) =>
      type === 'vn.gov.hopthu.provisioning.command.v1' ||
      type === 'vn.gov.hopthu.provisioning.bulk-command.v1',
    handle: async (event, trx, ctx) => {
      if (event.type === 'vn.gov.hopthu.provisioning.bulk-command.v1') {
        await applyBulkCommand({ ...deps, db: trx, logger: ctx.logger }, { event, attempt: ctx.attempt });
        return;
      }
      if (event.type !== 'vn.gov.hopthu.provisioning.command.v1') return;
      await applyProvisioningCommand(
        { ...deps, db: trx, logger: ctx.logger },
        { event, attempt: ctx.attempt },
      );
    },
    onPoison: async (info, db) => {
      await deadLetterMessage({ ...deps, db }, info);
    },
  });
}
