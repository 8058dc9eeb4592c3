// Notifier wiring: config, database + migrations, Kafka consumer, timer sweeper, delivery worker,
// HTTP admin API; stopped in reverse order on SIGTERM.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAndInstallProvincePolicies } from '@hopthu/naming';
import { newId, systemClock } from '@hopthu/shared/clock';
import { createDb, migrateToLatest } from '@hopthu/shared/db';
import { Topics } from '@hopthu/shared/events';
import { createMessageBus, parseBrokers } from '@hopthu/shared/kafka';
import { createLogger } from '@hopthu/shared/logger';
import { composeShutdown, runService } from '@hopthu/shared/service';
import { sql } from 'kysely';
import { createSmtpMailer } from './adapters/smtp-mailer.ts';
import { createFetchWebhookSender } from './adapters/webhook-sender.ts';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { startNotifierConsumer } from './consumers/notifier-consumer.ts';
import type { NotifierDb } from './db/schema.ts';
import { startTimerSweeper } from './domain/deadlines/start-timer-sweeper.ts';
import { startDeliveryWorker } from './domain/deliveries/start-delivery-worker.ts';
import type { MailSettings } from './domain/mail-settings.ts';
import { createOffsetClock } from './test-clock.ts';

const config = readConfig();
const logger = createLogger('notifier', { level: config.LOG_LEVEL });
const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

await runService(logger, async () => {
  // Before anything else: a bad province policy file stops the service naming the file and path.
  const provinces = loadAndInstallProvincePolicies(config.PROVINCE_POLICY_DIR);
  logger.info({ provinces: provinces.map((p) => p.id), dir: config.PROVINCE_POLICY_DIR }, 'province policies loaded');
  const testClock =
    config.NOTIFIER_TEST_CLOCK === '1' ? createOffsetClock(config.NOTIFIER_CLOCK_OFFSET_MS) : undefined;
  if (testClock) logger.warn({ offsetMs: testClock.offsetMs() }, 'test clock enabled (POST /admin/clock)');
  const clock = testClock ?? systemClock;

  const db = createDb<NotifierDb>(config.DATABASE_URL);
  await migrateToLatest(db as never, migrations);

  const bus = createMessageBus({ brokers: parseBrokers(config.KAFKA_BROKERS), clientId: 'notifier', logger });
  await bus.ensureTopics([{ topic: Topics.requests }, { topic: Topics.directory, compacted: true }]);

  const mail: MailSettings = {
    from: config.MAIL_FROM,
    fromName: config.MAIL_FROM_NAME,
    operatorsMailbox: config.OPERATORS_MAILBOX,
  };
  const mailer = createSmtpMailer({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    ignoreTls: config.SMTP_IGNORE_TLS === '1',
  });

  const stopConsumer =
    config.NOTIFIER_CONSUMERS === '1'
      ? await startNotifierConsumer({
          bus,
          db,
          logger,
          clock,
          newId,
          mail,
          consumer: config.NOTIFIER_CONSUMER,
        })
      : async () => {};
  const stopSweeper = startTimerSweeper(
    { db, clock, newId, logger, mail },
    { intervalMs: config.SWEEP_INTERVAL_MS },
  );
  const stopWorker = startDeliveryWorker(
    {
      db,
      clock,
      logger,
      mail,
      mailer,
      webhooks: createFetchWebhookSender({ timeoutMs: config.WEBHOOK_TIMEOUT_MS }),
      maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
      leaseMs: config.DELIVERY_LEASE_MS,
      backoff: { baseMs: config.DELIVERY_BACKOFF_BASE_MS, maxMs: config.DELIVERY_BACKOFF_MAX_MS },
    },
    { pollMs: config.DELIVERY_POLL_MS },
  );

  const app = buildApp({
    db,
    logger,
    clock,
    adminToken: config.ADMIN_TOKEN,
    testClock,
    readiness: async () => {
      await sql`SELECT 1`.execute(db);
      await bus.ping();
    },
  });
  await app.listen({ port: config.PORT, host: config.HOST });

  return composeShutdown(logger, [
    ['http', () => app.close()],
    ['consumer', stopConsumer],
    ['sweeper', stopSweeper],
    ['delivery-worker', stopWorker],
    ['smtp', async () => mailer.close()],
    ['db', () => db.destroy()],
  ]);
});
