// Wiring of the requests service: config, database, Kafka, HTTP, consumers, outbox relay.
import path from 'node:path';
import { loadAndInstallProvincePolicies } from '@hopthu/naming';
import { createDb, migrateToLatest } from '@hopthu/shared/db';
import { Topics } from '@hopthu/shared/events';
import { createMessageBus, parseBrokers } from '@hopthu/shared/kafka';
import { createLogger } from '@hopthu/shared/logger';
import { startOutboxRelay } from '@hopthu/shared/outbox';
import { composeShutdown, runService } from '@hopthu/shared/service';
import { sql } from 'kysely';
import { buildApp } from './app.ts';
import { loadRequestsConfig } from './config.ts';
import { startDirectoryConsumer, startResultsConsumer } from './consumers/requests-consumers.ts';
import type { Database } from './db/schema.ts';
import { loadApprovalPolicies } from './domain/approval/approval-policy-file.ts';

const config = loadRequestsConfig();
const logger = createLogger('requests', { level: config.LOG_LEVEL });

await runService(logger, async () => {
  // Before anything else: a bad policy file stops the service with every problem named.
  const provinces = loadAndInstallProvincePolicies(config.PROVINCE_POLICY_DIR);
  logger.info(
    { provinces: provinces.map((p) => p.id), dir: config.PROVINCE_POLICY_DIR },
    'province policies loaded',
  );
  const approvalPolicies = loadApprovalPolicies(config.APPROVAL_POLICY_FILE);
  if (config.APPROVAL_POLICY_FILE)
    logger.info(
      { file: config.APPROVAL_POLICY_FILE, provinces: approvalPolicies.list().map((p) => p.province) },
      'approval policies loaded',
    );
  const db = createDb<Database>(config.DATABASE_URL);
  await migrateToLatest(db as never, path.join(import.meta.dirname, '..', 'migrations'));
  const bus = createMessageBus({ brokers: parseBrokers(config.KAFKA_BROKERS), clientId: 'requests', logger });
  await bus.ensureTopics([
    { topic: Topics.requests },
    { topic: Topics.provisioningResults },
    { topic: Topics.directory, compacted: true },
  ]);
  const producer = await bus.createProducer();
  const stopRelay = startOutboxRelay({ db, databaseUrl: config.DATABASE_URL, producer, logger });
  const stopDirectory = await startDirectoryConsumer({ db, bus, logger });
  const stopResults = await startResultsConsumer({ db, bus, logger, publicUrl: config.PUBLIC_URL });
  const app = buildApp({
    config,
    db,
    logger,
    approvalPolicies,
    readiness: async () => {
      await sql`SELECT 1`.execute(db);
      await bus.ping();
    },
  });
  await app.listen({ port: config.PORT, host: config.HOST });
  return composeShutdown(logger, [
    ['http', () => app.close()],
    ['results consumer', stopResults],
    ['directory consumer', stopDirectory],
    ['outbox relay', stopRelay],
    ['producer', () => producer.disconnect()],
    ['database', () => db.destroy()],
  ]);
});
