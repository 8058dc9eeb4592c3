// Directory service wiring: config, database (migrated), Kafka, HTTP, the two consumers and the
// outbox relay; stopped in reverse order on SIGTERM/SIGINT.
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
import { buildApp } from './app.ts';
import { expireDueAliases } from './domain/aliases/manage-aliases.ts';
import { readConfig } from './config.ts';
import { startRequestsConsumer } from './consumers/requests-consumer.ts';
import { startResultsConsumer } from './consumers/results-consumer.ts';
import type { DirectoryDatabase } from './db/schema.ts';
import type { DirectoryDeps } from './domain/deps.ts';
import { seedReservedAddresses } from './domain/directory/seed-reserved-addresses.ts';
import { seedProvinceDomains } from './domain/domains/seed-province-domains.ts';
import {
  createReorganisationRunner,
  resumeReorganisations,
} from './domain/reorganisations/apply-reorganisation.ts';
import { syncAllGroups } from './domain/groups/manage-groups.ts';
import { sweepInactiveMailboxes } from './domain/inactivity/sweep-inactive-mailboxes.ts';
import { sweepDefaultPasswords } from './domain/passwords/sweep-default-passwords.ts';
import { flushSettledBatches } from './domain/items/ranked-batches.ts';

const config = readConfig();
const logger = createLogger('directory', { level: config.LOG_LEVEL });
const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

await runService(logger, async () => {
  // Before anything else: a bad province policy file stops the service naming the file and path.
  const provinces = loadAndInstallProvincePolicies(config.PROVINCE_POLICY_DIR);
  logger.info(
    { provinces: provinces.map((p) => p.id), dir: config.PROVINCE_POLICY_DIR },
    'province policies loaded',
  );
  const db = createDb<DirectoryDatabase>(config.DATABASE_URL);
  await migrateToLatest(db as never, migrations);
  await seedReservedAddresses(db);
  await seedProvinceDomains({ db, clock: systemClock, newId });

  const bus = createMessageBus({
    brokers: parseBrokers(config.KAFKA_BROKERS),
    clientId: 'directory',
    logger,
  });
  await bus.ensureTopics([
    { topic: Topics.requests },
    { topic: Topics.provisioningCommands },
    { topic: Topics.provisioningResults },
    { topic: Topics.directory, compacted: true },
  ]);
  const producer = await bus.createProducer();
  const deps: DirectoryDeps = {
    db,
    logger,
    clock: systemClock,
    newId,
    retiredHoldDays: config.RETIRED_HOLD_DAYS,
    renameAliasDays: config.RENAME_ALIAS_DAYS,
  };

  const stopRelay = startOutboxRelay({ db, databaseUrl: config.DATABASE_URL, producer, logger });
  const stopRequests = await startRequestsConsumer(deps, bus);
  const stopResults = await startResultsConsumer(deps, bus);
  const stopBatchSweep = startPollingLoop({
    logger,
    intervalMs: Math.max(250, Math.floor(config.RANK_BATCH_SETTLE_MS / 4)),
    what: 'rank batch sweep',
    runOnce: () => flushSettledBatches(deps, { settleMs: config.RANK_BATCH_SETTLE_MS, logger }),
  });
  const stopAliasExpiry = startPollingLoop({
    logger,
    intervalMs: config.ALIAS_EXPIRY_INTERVAL_MS,
    what: 'alias expiry',
    runOnce: () => expireDueAliases(deps),
  });
  const stopGroupSync = startPollingLoop({
    logger,
    intervalMs: config.GROUP_SYNC_INTERVAL_MS,
    what: 'group sync',
    // A pass that changed groups is not a reason to run again at once: members change slowly.
    runOnce: async () => {
      await syncAllGroups(deps);
      return 0;
    },
  });

  const stopInactivitySweep = startPollingLoop({
    logger,
    intervalMs: config.INACTIVITY_SWEEP_INTERVAL_MS,
    what: 'inactivity sweep',
    // one pass goes through every province in batches; the next is due after the interval
    runOnce: async () => {
      await sweepInactiveMailboxes(deps);
      // Kiên Giang's default-password lock (regulations §5) is a daily rule of the same kind
      await sweepDefaultPasswords(deps);
      return 0;
    },
  });

  const reorganisations = createReorganisationRunner(deps, {
    batchSize: config.REORGANISATION_BATCH_SIZE,
    workers: config.REORGANISATION_WORKERS,
  });
  await resumeReorganisations(deps, reorganisations);

  const app = buildApp({
    ...deps,
    reorganisations,
    adminToken: config.ADMIN_TOKEN,
    readiness: async () => {
      await sql`SELECT 1`.execute(db);
      await bus.ping();
    },
  });
  await app.listen({ port: config.PORT, host: config.HOST });

  return composeShutdown(logger, [
    ['http', () => app.close()],
    ['reorganisations', () => reorganisations.stop()],
    ['requests consumer', stopRequests],
    ['results consumer', stopResults],
    ['group sync', stopGroupSync],
    ['inactivity sweep', stopInactivitySweep],
    ['alias expiry', stopAliasExpiry],
    ['rank batch sweep', stopBatchSweep],
    ['outbox relay', stopRelay],
    ['producer', () => producer.disconnect()],
    ['database', () => db.destroy()],
  ]);
});
