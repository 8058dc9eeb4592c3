// The directory: its database (seeded with reserved addresses and the provinces' domains), the
// consumers of approved items and provisioning results, the background loops (rank batches, alias
// expiry, group sync, inactivity and default-password sweeps, reorganisations), the outbox relay of
// provisioning commands and directory state, the HTTP API.
import { newId, systemClock } from '@hopthu/shared/clock';
import { Topics } from '@hopthu/shared/events';
import { migrationsBeside, runServiceMain } from '@hopthu/shared/service-kit';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { startRequestsConsumer } from './consumers/requests-consumer.ts';
import { startResultsConsumer } from './consumers/results-consumer.ts';
import type { DirectoryDatabase } from './db/schema.ts';
import { expireDueAliases } from './domain/aliases/manage-aliases.ts';
import type { DirectoryDeps } from './domain/deps.ts';
import { seedReservedAddresses } from './domain/directory/seed-reserved-addresses.ts';
import { seedProvinceDomains } from './domain/domains/seed-province-domains.ts';
import { syncAllGroups } from './domain/groups/manage-groups.ts';
import { sweepInactiveMailboxes } from './domain/inactivity/sweep-inactive-mailboxes.ts';
import { flushSettledBatches } from './domain/items/ranked-batches.ts';
import { sweepDefaultPasswords } from './domain/passwords/sweep-default-passwords.ts';
import {
  createReorganisationRunner,
  resumeReorganisations,
} from './domain/reorganisations/apply-reorganisation.ts';
import {
  CREDENTIALS_INTERVAL_MS,
  requestImportCredentials,
} from './domain/imports/request-import-credentials.ts';
import {
  applyDueReorganisations,
  SCHEDULE_INTERVAL_MS,
} from './domain/reorganisations/schedule-reorganisations.ts';

const config = readConfig();

await runServiceMain<DirectoryDatabase>({
  name: 'directory',
  config,
  migrations: migrationsBeside(import.meta.dirname),
  provincePolicies: { dir: config.PROVINCE_POLICY_DIR },
  afterMigrate: async (db) => {
    await seedReservedAddresses(db);
    await seedProvinceDomains({ db, clock: systemClock, newId });
  },
  topics: [
    { topic: Topics.requests },
    { topic: Topics.provisioningCommands },
    { topic: Topics.provisioningResults },
    { topic: Topics.directory, compacted: true },
  ],
  parts: ({ db, logger, bus, readiness }) => {
    const deps: DirectoryDeps = {
      db,
      logger,
      clock: systemClock,
      newId,
      retiredHoldDays: config.RETIRED_HOLD_DAYS,
      renameAliasDays: config.RENAME_ALIAS_DAYS,
    };
    const reorganisations = createReorganisationRunner(deps, {
      batchSize: config.REORGANISATION_BATCH_SIZE,
      workers: config.REORGANISATION_WORKERS,
    });
    return {
      app: buildApp({ ...deps, reorganisations, adminToken: config.ADMIN_TOKEN, readiness }),
      consumers: {
        'requests consumer': () => startRequestsConsumer(deps, bus),
        'results consumer': () => startResultsConsumer(deps, bus),
      },
      loops: {
        'rank batch sweep': {
          intervalMs: Math.max(250, Math.floor(config.RANK_BATCH_SETTLE_MS / 4)),
          runOnce: () => flushSettledBatches(deps, { settleMs: config.RANK_BATCH_SETTLE_MS, logger }),
        },
        'alias expiry': {
          intervalMs: config.ALIAS_EXPIRY_INTERVAL_MS,
          runOnce: () => expireDueAliases(deps),
        },
        'group sync': {
          intervalMs: config.GROUP_SYNC_INTERVAL_MS,
          // a pass that changed groups is not a reason to run again at once: members change slowly
          runOnce: async () => {
            await syncAllGroups(deps);
            return 0;
          },
        },
        'inactivity sweep': {
          intervalMs: config.INACTIVITY_SWEEP_INTERVAL_MS,
          // one pass goes through every province in batches; the next is due after the interval
          runOnce: async () => {
            await sweepInactiveMailboxes(deps);
            // Kiên Giang's default-password lock (regulations §5) is a daily rule of the same kind
            await sweepDefaultPasswords(deps);
            return 0;
          },
        },
        // reorganisations cut short by a stop resume where they were
        reorganisations: async () => {
          await resumeReorganisations(deps, reorganisations);
          return () => reorganisations.stop();
        },
        // mailboxes imported without a password: their agency's one-time credentials, once per import
        'import credentials': {
          intervalMs: CREDENTIALS_INTERVAL_MS,
          runOnce: async () => {
            await requestImportCredentials(deps);
            return 0;
          },
        },
        // plans scheduled for their effective date start on it (also the first pass after a restart)
        'reorganisation schedule': {
          intervalMs: SCHEDULE_INTERVAL_MS,
          runOnce: async () => {
            await applyDueReorganisations(deps, reorganisations);
            return 0;
          },
        },
      },
    };
  },
});
