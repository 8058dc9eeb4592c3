// Provisioner wiring: config, database + migrations, the mail-server adapter (vmail database and
// doveadm API), Kafka consumer, outbox relay, HTTP admin API; stopped in reverse order on SIGTERM.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAndInstallProvincePolicies } from '@hopthu/naming';
import { newId, systemClock } from '@hopthu/shared/clock';
import { createDb, migrateToLatest } from '@hopthu/shared/db';
import { Topics } from '@hopthu/shared/events';
import { createMessageBus, parseBrokers } from '@hopthu/shared/kafka';
import { createLogger } from '@hopthu/shared/logger';
import { startOutboxRelay } from '@hopthu/shared/outbox';
import { startPollingLoop } from '@hopthu/shared/polling';
import { composeShutdown, runService } from '@hopthu/shared/service';
import { sql } from 'kysely';
import { createDoveadmClient } from './adapters/dovecot/doveadm-client.ts';
import { createDovecotAdapter } from './adapters/dovecot/dovecot-adapter.ts';
import type { VmailDb } from './adapters/dovecot/vmail-repository.ts';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { startCommandsConsumer } from './consumers/commands-consumer.ts';
import { startDirectoryConsumer } from './consumers/directory-consumer.ts';
import type { ProvisionerDb } from './db/schema.ts';
import { reportMailboxActivity } from './domain/activity/report-mailbox-activity.ts';
import { purgeRetention } from './domain/retention/purge-retention.ts';

const config = readConfig();
const logger = createLogger('provisioner', { level: config.LOG_LEVEL });
const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

await runService(logger, async () => {
  // Before anything else: a bad province policy file stops the service naming the file and path.
  const provinces = loadAndInstallProvincePolicies(config.PROVINCE_POLICY_DIR);
  logger.info(
    { provinces: provinces.map((p) => p.id), dir: config.PROVINCE_POLICY_DIR },
    'province policies loaded',
  );
  const clock = systemClock;
  const db = createDb<ProvisionerDb>(config.DATABASE_URL);
  await migrateToLatest(db as never, migrations);

  const adapter = createDovecotAdapter({
    vmail: createDb<VmailDb>(config.VMAIL_DATABASE_URL, { max: 5 }),
    doveadm: createDoveadmClient({
      url: config.DOVEADM_URL,
      apiKey: config.DOVEADM_API_KEY,
      timeoutMs: config.DOVEADM_TIMEOUT_MS,
    }),
    vmailRoot: config.VMAIL_ROOT,
    retentionDir: config.VMAIL_RETENTION_DIR || path.join(config.VMAIL_ROOT, '.retention'),
    renameAliasDays: config.RENAME_ALIAS_DAYS,
    clock,
    logger: logger.child({ component: 'dovecot-adapter' }),
  });

  const bus = createMessageBus({
    brokers: parseBrokers(config.KAFKA_BROKERS),
    clientId: 'provisioner',
    logger,
  });
  await bus.ensureTopics([
    { topic: Topics.provisioningCommands },
    { topic: Topics.provisioningResults },
    { topic: Topics.provisioningDeadLetter },
    { topic: Topics.directory, compacted: true },
  ]);
  const producer = await bus.createProducer();
  const stopRelay = startOutboxRelay({ db, databaseUrl: config.DATABASE_URL, producer, logger });

  const stopConsumer = await startCommandsConsumer({
    bus,
    db,
    adapter,
    logger,
    clock,
    newId,
    consumer: config.PROVISIONER_CONSUMER,
    maxAttempts: config.PROVISIONER_MAX_ATTEMPTS,
    ...(config.FAULT_AFTER_VMAIL_WRITE
      ? {
          afterMailServerWrite: (command) => {
            if (command.address !== config.FAULT_AFTER_VMAIL_WRITE) return;
            logger.warn({ commandId: command.commandId }, 'FAULT_AFTER_VMAIL_WRITE: killing the process');
            process.kill(process.pid, 'SIGKILL');
          },
        }
      : {}),
  });

  const stopDirectoryConsumer = await startDirectoryConsumer({
    bus,
    db,
    logger,
    clock,
    consumer: `${config.PROVISIONER_CONSUMER}-directory`,
  });

  const retention = { adapter, clock, retentionDays: config.VMAIL_RETENTION_DAYS };
  const stopRetentionPurge = startPollingLoop({
    logger,
    intervalMs: config.RETENTION_PURGE_INTERVAL_MS,
    what: 'retention purge',
    // one pass removes every due day folder; a count > 0 only makes the loop look once more
    runOnce: async () =>
      (await purgeRetention({ ...retention, logger: logger.child({ component: 'retention' }) })).purged
        .length,
  });

  const activity = { db, adapter, clock, newId, logger: logger.child({ component: 'activity-report' }) };
  const stopActivityReport = startPollingLoop({
    logger,
    intervalMs: config.ACTIVITY_REPORT_INTERVAL_MS,
    what: 'activity report',
    // one pass reports every change; the next is due after the interval
    runOnce: async () => {
      await reportMailboxActivity(activity);
      return 0;
    },
  });

  const app = buildApp({
    db,
    adapter,
    logger,
    clock,
    newId,
    adminToken: config.ADMIN_TOKEN,
    retentionDays: config.VMAIL_RETENTION_DAYS,
    readiness: async () => {
      await sql`SELECT 1`.execute(db);
      await adapter.ping();
      await bus.ping();
    },
  });
  await app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ port: config.PORT, adapter: adapter.name }, 'provisioner listening');

  return composeShutdown(logger, [
    ['http', () => app.close()],
    ['consumer', stopConsumer],
    ['directory-consumer', stopDirectoryConsumer],
    ['retention-purge', stopRetentionPurge],
    ['activity-report', stopActivityReport],
    ['outbox-relay', stopRelay],
    ['producer', () => producer.disconnect()],
    ['mail-server', () => adapter.close()],
    ['db', () => db.destroy()],
  ]);
});
