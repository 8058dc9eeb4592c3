// Kafka entry point: provisioning commands, each applied by one use case inside the inbox
// transaction; messages that can never succeed go to the dead-letter use case. A batch's runs of
// create commands are applied set-wise (apply-create-commands.ts), with the same effects as one at
// a time; any failure in a batch sends its events back one at a time (the inbox), where an invalid
// command dead-letters alone. A parked command an operator replays in place closes its dead letter
// too (close-dead-letter-of-replay.ts).
import type { Clock, NewId } from '@hopthu/shared/clock';
import { type AnyEnvelope, type Envelope, Topics } from '@hopthu/shared/events';
import { type EventHandler, isTransientError, startInboxConsumer } from '@hopthu/shared/inbox';
import type { MessageBus } from '@hopthu/shared/kafka';
import type { Logger } from '@hopthu/shared/logger';
import { onParkedEventReplayed } from '@hopthu/shared/parked-events';
import type { Kysely } from 'kysely';
import { type MailServerAdapter, MailServerUnavailableError } from '../domain/mail-server-adapter.ts';
import type { ProvisionerDb } from '../db/schema.ts';
import { applyBulkCommand } from '../domain/commands/apply-bulk-command.ts';
import { applyCreateCommands } from '../domain/commands/apply-create-commands.ts';
import { applyProvisioningCommand } from '../domain/commands/apply-provisioning-command.ts';
import { cutCreateRuns } from '../domain/commands/create-runs.ts';
import { closeDeadLetterOfReplay } from '../domain/dead-letters/close-dead-letter-of-replay.ts';
import { deadLetterMessage } from '../domain/dead-letters/dead-letter-message.ts';

type CommandEvent = Envelope<'vn.gov.hopthu.provisioning.command.v1'>;
const isCommand = (event: AnyEnvelope): event is CommandEvent =>
  event.type === 'vn.gov.hopthu.provisioning.command.v1';

export async function startCommandsConsumer(deps: {
  bus: MessageBus;
  db: Kysely<ProvisionerDb>;
  adapter: MailServerAdapter;
  logger: Logger;
  clock: Clock;
  newId: NewId;
  consumer: string;
  maxAttempts: number;
  /** VMAIL_RETENTION_DAYS: a restore's purge check for a domain of no province. */
  retentionDays: number;
  /** Runs of create commands in a batch applied set-wise (default); false: one at a time. */
  setWiseCreates?: boolean;
}): Promise<() => Promise<void>> {
  const handle: EventHandler<ProvisionerDb> = async (event, trx, ctx) => {
    if (event.type === 'vn.gov.hopthu.provisioning.bulk-command.v1') {
      await applyBulkCommand({ ...deps, db: trx, logger: ctx.logger }, { event, attempt: ctx.attempt });
      return;
    }
    if (!isCommand(event)) return;
    await applyProvisioningCommand({ ...deps, db: trx, logger: ctx.logger }, { event, attempt: ctx.attempt });
  };
  // a parked command replayed in place closes its dead letter too, in the replay's transaction
  const undoReplayHook = onParkedEventReplayed(deps.db, deps.consumer, (trx, replay) =>
    closeDeadLetterOfReplay({ ...deps, db: trx }, replay).then(() => undefined),
  );
  const stop = await startInboxConsumer<ProvisionerDb>({
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
    handle,
    ...(deps.setWiseCreates === false
      ? {}
      : {
          handleMany: async (events, trx) => {
            const runs = cutCreateRuns(events, ({ event }) => (isCommand(event) ? event.data : null));
            for (const run of runs) {
              if (run.kind === 'one') {
                await handle(run.item.event, trx, run.item.ctx);
              } else if (run.items.length === 1) {
                const [only] = run.items;
                if (only) await handle(only.event, trx, only.ctx);
              } else {
                await applyCreateCommands(
                  { ...deps, db: trx, logger: deps.logger },
                  {
                    commands: run.items.map(({ event, ctx }) => ({
                      event: event as CommandEvent,
                      attempt: ctx.attempt,
                      logger: ctx.logger,
                    })),
                  },
                );
              }
            }
          },
        }),
    onPoison: async (info, db) => {
      await deadLetterMessage({ ...deps, db }, info);
    },
  }).catch((err: unknown) => {
    undoReplayHook();
    throw err;
  });
  return async () => {
    undoReplayHook();
    await stop();
  };
}
