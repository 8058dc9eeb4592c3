// The notifier as the start-up kit runs it: its database, the Kafka consumer of requests and
// directory events, the deadline timer sweeper and the delivery worker (mail and signed webhooks),
// the HTTP admin API. It publishes nothing, so it has no outbox relay. main.ts runs it with the
// system clock; a test may run it with a clock of its own and without the Kafka consumer (a
// notifier on a scratch database must not take the shared topics' messages).
import { type Clock, newId, systemClock } from '@hopthu/shared/clock';
import { Topics } from '@hopthu/shared/events';
import { migrationsBeside, type ServiceSpec } from '@hopthu/shared/service-kit';
import { createSmtpMailer } from './adapters/smtp-mailer.ts';
import { createFetchWebhookSender } from './adapters/webhook-sender.ts';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { startNotifierConsumer } from './consumers/notifier-consumer.ts';
import type { NotifierDb } from './db/schema.ts';
import { startTimerSweeper } from './domain/deadlines/start-timer-sweeper.ts';
import { startDeliveryWorker } from './domain/deliveries/start-delivery-worker.ts';
import type { MailSettings } from './domain/mail-settings.ts';

export function notifierService(
  config: Readonly<Config>,
  options: { clock?: Clock; consumers?: boolean } = {},
): ServiceSpec<NotifierDb> {
  const clock = options.clock ?? systemClock;
  const mail: MailSettings = {
    from: config.MAIL_FROM,
    fromName: config.MAIL_FROM_NAME,
    operatorsMailbox: config.OPERATORS_MAILBOX,
  };
  return {
    name: 'notifier',
    config,
    migrations: migrationsBeside(import.meta.dirname),
    provincePolicies: { dir: config.PROVINCE_POLICY_DIR },
    topics: [{ topic: Topics.requests }, { topic: Topics.directory, compacted: true }],
    outbox: false,
    parts: ({ db, logger, bus, readiness }) => {
      const mailer = createSmtpMailer({
        host: config.SMTP_HOST,
        port: config.SMTP_PORT,
        ignoreTls: config.SMTP_IGNORE_TLS === '1',
      });
      const delivery = {
        db,
        clock,
        logger,
        mail,
        mailer,
        webhooks: createFetchWebhookSender({ timeoutMs: config.WEBHOOK_TIMEOUT_MS }),
        maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
        leaseMs: config.DELIVERY_LEASE_MS,
        backoff: { baseMs: config.DELIVERY_BACKOFF_BASE_MS, maxMs: config.DELIVERY_BACKOFF_MAX_MS },
      };
      return {
        app: buildApp({
          db,
          logger,
          clock,
          adminToken: config.ADMIN_TOKEN,
          readiness,
          maintenance: { newId, mail },
        }),
        consumers:
          options.consumers !== false
            ? {
                consumer: () =>
                  startNotifierConsumer({
                    bus,
                    db,
                    logger,
                    clock,
                    newId,
                    mail,
                    consumer: config.NOTIFIER_CONSUMER,
                  }),
              }
            : undefined,
        loops: {
          sweeper: () =>
            startTimerSweeper({ db, clock, newId, logger, mail }, { intervalMs: config.SWEEP_INTERVAL_MS }),
          'delivery-worker': () => startDeliveryWorker(delivery, { pollMs: config.DELIVERY_POLL_MS }),
        },
        resources: { smtp: async () => mailer.close() },
      };
    },
  };
}
