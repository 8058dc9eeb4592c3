// The provisioner as the start-up kit runs it: its database, the mail-server adapter (vmail
// database and doveadm API), the consumers of provisioning commands and directory state, the
// retention purge and activity report loops, the outbox relay of results, the HTTP admin API.
// main.ts runs it; a test may wrap the adapter (wrapAdapter) to inject a fault, in test code.
import path from 'node:path';
import { newId, systemClock } from '@hopthu/shared/clock';
import { createDb } from '@hopthu/shared/db';
import { Topics } from '@hopthu/shared/events';
import type { Logger } from '@hopthu/shared/logger';
import { migrationsBeside, type ServiceSpec } from '@hopthu/shared/service-kit';
import { createDoveadmClient } from './adapters/dovecot/doveadm-client.ts';
import { createDovecotAdapter } from './adapters/dovecot/dovecot-adapter.ts';
import type { VmailDb } from './adapters/dovecot/vmail-repository.ts';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { startCommandsConsumer } from './consumers/commands-consumer.ts';
import { startDirectoryConsumer } from './consumers/directory-consumer.ts';
import type { ProvisionerDb } from './db/schema.ts';
import type { MailServerAdapter } from './domain/mail-server-adapter.ts';
import { reportMailboxActivity } from './domain/activity/report-mailbox-activity.ts';
import { purgeRetention } from './domain/retention/purge-retention.ts';

export interface ProvisionerOptions {
  /** Wraps the mail-server adapter the parts use (a test's fault injection); default: as is. */
  wrapAdapter?: (adapter: MailServerAdapter, logger: Logger) => MailServerAdapter;
}

export function provisionerService(
  config: Readonly<Config>,
  options: ProvisionerOptions = {},
): ServiceSpec<ProvisionerDb> {
  const clock = systemClock;
  return {
    name: 'provisioner',
    config,
    migrations: migrationsBeside(import.meta.dirname),
    provincePolicies: { dir: config.PROVINCE_POLICY_DIR },
    topics: [
      { topic: Topics.provisioningCommands },
      { topic: Topics.provisioningResults },
      { topic: Topics.provisioningDeadLetter },
      { topic: Topics.directory, compacted: true },
    ],
    parts: ({ db, logger, bus, readiness }) => {
      const dovecot = createDovecotAdapter({
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
      const adapter = options.wrapAdapter?.(dovecot, logger) ?? dovecot;
      const retention = { adapter, clock, retentionDays: config.VMAIL_RETENTION_DAYS };
      const activity = { db, adapter, clock, newId, logger: logger.child({ component: 'activity-report' }) };
      return {
        app: buildApp({
          db,
          adapter,
          logger,
          clock,
          newId,
          adminToken: config.ADMIN_TOKEN,
          retentionDays: config.VMAIL_RETENTION_DAYS,
          readiness: async () => {
            await readiness();
            await adapter.ping();
          },
        }),
        consumers: {
          consumer: () =>
            startCommandsConsumer({
              bus,
              db,
              adapter,
              logger,
              clock,
              newId,
              consumer: config.PROVISIONER_CONSUMER,
              maxAttempts: config.PROVISIONER_MAX_ATTEMPTS,
              retentionDays: config.VMAIL_RETENTION_DAYS,
              setWiseCreates: config.PROVISIONER_SET_WISE_CREATES === '1',
            }),
          'directory-consumer': () =>
            startDirectoryConsumer({
              bus,
              db,
              logger,
              clock,
              consumer: `${config.PROVISIONER_CONSUMER}-directory`,
            }),
        },
        loops: {
          // one pass removes every due day folder; a count > 0 only makes the loop look once more
          'retention purge': {
            intervalMs: config.RETENTION_PURGE_INTERVAL_MS,
            runOnce: async () =>
              (await purgeRetention({ ...retention, logger: logger.child({ component: 'retention' }) }))
                .purged.length,
          },
          // one pass reports every change; the next is due after the interval
          'activity report': {
            intervalMs: config.ACTIVITY_REPORT_INTERVAL_MS,
            runOnce: async () => {
              await reportMailboxActivity(activity);
              return 0;
            },
          },
        },
        resources: { 'mail-server': () => adapter.close() },
      };
    },
  };
}
