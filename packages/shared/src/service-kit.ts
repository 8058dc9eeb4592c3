// The start-up kit: one way to start a service from its parts, so each services/*/src/main.ts is a
// declaration (what the service is made of) instead of a copy of the wiring. The kit reads the
// province policy files, opens the database and migrates it, makes sure the Kafka topics exist, starts the outbox relay, then the
// service's consumers and background loops, and the HTTP app last; it returns the shutdown that
// stops them in the reverse order (HTTP first, so nothing new comes in; the database last).
// runServiceMain wraps it for a process: close-with-grace on SIGTERM/SIGINT, exit 1 on a failed start.
import path from 'node:path';
import { loadAndInstallProvincePolicies } from '@hopthu/naming';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { createDb, migrateToLatest } from './db.ts';
import type { HttpApp } from './http.ts';
import { createMessageBus, type KafkaClientName, type MessageBus, parseBrokers } from './kafka.ts';
import { createLogger, type Logger } from './logger.ts';
import { collectOnScrape } from './metrics.ts';
import { operatorTokenVerifier, trustOperatorTokens } from './operator-token.ts';
import { startOutboxRelay } from './outbox.ts';
import { registerParkedEventRoutes } from './parked-event-routes.ts';
import { type AnyDb, watchParkedEvents } from './parked-events.ts';
import { startPollingLoop } from './polling.ts';
import { composeShutdown, runService, type Shutdown } from './service.ts';

/** What the kit reads from a service's configuration (each service's own loader returns more). */
export interface ServiceKitConfig {
  LOG_LEVEL: string;
  HOST: string;
  PORT: number;
  DATABASE_URL: string;
  KAFKA_BROKERS?: string;
  KAFKA_CLIENT?: KafkaClientName;
  /** Where the console publishes the keys of its operator tokens (the admin APIs trust them). */
  OPERATOR_JWKS_URL?: string;
  /** The static admin bearer of local scripts (the parked-event routes take it as the service's own). */
  ADMIN_TOKEN?: string | undefined;
}

/** A background loop declared by its pass (see startPollingLoop): again at once while it finds work. */
export interface LoopSpec {
  intervalMs: number;
  /** One pass; returns how many things it did (> 0 means "look again at once"). */
  runOnce: () => Promise<number>;
}

/** The HTTP app as the kit needs it (a Fastify instance from buildApp). */
export interface ListeningApp {
  listen(options: { port: number; host: string }): Promise<unknown>;
  close(): Promise<unknown>;
}

/** What the kit hands to the service's `parts`. */
export interface ServiceKitContext<DB> {
  db: Kysely<DB>;
  logger: Logger;
  /** The Kafka adapter (only for a service that declared topics; a throw otherwise). */
  readonly bus: MessageBus;
  /** The readiness check of /readyz: the database answers, and Kafka when the service uses it. */
  readiness: () => Promise<void>;
}

/** The parts of a running service; each name is also its name in the shutdown log. */
export interface ServiceParts {
  app: ListeningApp;
  /** Kafka consumers, started in this order after the outbox relay; each returns its shutdown. */
  consumers?: Record<string, () => Promise<Shutdown>>;
  /** Background work: a declared polling loop, or a start function returning its shutdown. */
  loops?: Record<string, LoopSpec | (() => Shutdown | Promise<Shutdown>)>;
  /** Connections the parts opened (a mail server, an SMTP pool), closed before the database. */
  resources?: Record<string, Shutdown>;
}

export interface ServiceSpec<DB> {
  /** The service's name: its logger's `service` field and its Kafka client id. */
  name: string;
  config: ServiceKitConfig;
  /** The service's migrations folder (the shared outbox/inbox tables are migrated first). */
  migrations: string;
  /** The provinces' policy files (the seeds plus `dir`), read and installed before anything opens. */
  provincePolicies?: { dir: string | undefined };
  /** Checks that must pass before anything opens (policy files): a throw stops the start. */
  before?: (logger: Logger) => void | Promise<void>;
  /** Runs once the database is migrated, before Kafka and the parts (seeding reference rows). */
  afterMigrate?: (db: Kysely<DB>) => Promise<void>;
  /** Topics this service reads or writes, created when missing. Without them: no Kafka at all. */
  topics?: { topic: string; partitions?: number; compacted?: boolean }[];
  /** Whether the service publishes through its outbox (a producer and the relay). Default: with topics. */
  outbox?: boolean;
  /** The service's own parts, built from what the kit opened. */
  parts: (kit: ServiceKitContext<DB>) => ServiceParts | Promise<ServiceParts>;
}

/** Starts a service from its parts and returns its shutdown (reverse order, each step logged). */
export async function startService<DB>(spec: ServiceSpec<DB>, logger: Logger): Promise<Shutdown> {
  const { config } = spec;
  const steps: [string, Shutdown][] = [];
  // A part that fails to start must not leave the ones before it running: stop them, then throw.
  const stopStarted = () => composeShutdown(logger, [...steps].reverse())();
  try {
    if (spec.provincePolicies) {
      // a bad province policy file stops the service naming the file and path
      const { dir } = spec.provincePolicies;
      const provinces = loadAndInstallProvincePolicies(dir);
      logger.info({ provinces: provinces.map((p) => p.id), dir }, 'province policies loaded');
    }
    await spec.before?.(logger);
    if (config.OPERATOR_JWKS_URL) trustOperatorTokens(operatorTokenVerifier(config.OPERATOR_JWKS_URL));
    const db = createDb<DB>(config.DATABASE_URL);
    steps.push(['database', () => db.destroy()]);
    await migrateToLatest(db as never, spec.migrations);
    await spec.afterMigrate?.(db);

    let bus: MessageBus | undefined;
    if (spec.topics) {
      if (!config.KAFKA_BROKERS) throw new Error(`${spec.name}: topics declared but no KAFKA_BROKERS`);
      const kafka = createMessageBus({
        brokers: parseBrokers(config.KAFKA_BROKERS),
        clientId: spec.name,
        logger,
        client: config.KAFKA_CLIENT,
      });
      bus = kafka;
      await kafka.ensureTopics(spec.topics);
      if (spec.outbox ?? true) {
        const producer = await kafka.createProducer();
        steps.push(['producer', () => producer.disconnect()]);
        steps.push([
          'outbox relay',
          startOutboxRelay({ db, databaseUrl: config.DATABASE_URL, producer, logger }),
        ]);
        // read on scrape: rows written but not yet published, by topic, and the oldest's age
        const stopBacklog = collectOnScrape(
          'hopthu_outbox_backlog',
          'Outbox rows written but not yet published to Kafka, by topic',
          ['topic'],
          async () => {
            const { rows } = await sql<{ topic: string; n: number }>`
              SELECT topic, count(*)::int AS n FROM outbox WHERE processed_at IS NULL GROUP BY topic`.execute(
              db,
            );
            return rows.map((r) => ({ labels: { topic: r.topic }, value: r.n }));
          },
        );
        steps.push(['outbox backlog gauge', async () => stopBacklog()]);
      }
    }

    const readiness = async () => {
      await sql`SELECT 1`.execute(db);
      await bus?.ping();
    };
    const parts = await spec.parts({
      db,
      logger,
      readiness,
      get bus(): MessageBus {
        if (!bus) throw new Error(`${spec.name}: no topics declared, so no Kafka`);
        return withLagGauge(bus, steps);
      },
    });
    if (spec.topics) mountParkedEvents(parts.app, db as never, config, steps);
    for (const [name, close] of Object.entries(parts.resources ?? {})) steps.push([name, close]);
    for (const [name, start] of Object.entries(parts.loops ?? {})) {
      const stop =
        typeof start === 'function' ? await start() : startPollingLoop({ logger, what: name, ...start });
      steps.push([name, stop]);
    }
    // Consumers stop before the loops (reverse order below), as they did when wired by hand.
    const consumers: [string, Shutdown][] = [];
    for (const [name, start] of Object.entries(parts.consumers ?? {})) {
      const stop = await start();
      consumers.push([name, stop]);
    }
    steps.push(...consumers.reverse());

    await parts.app.listen({ port: config.PORT, host: config.HOST });
    steps.push(['http', () => parts.app.close().then(() => {})]);
    logger.info({ url: `http://${config.HOST}:${config.PORT}` }, `${spec.name} listening`);
  } catch (err) {
    await stopStarted();
    throw err;
  }
  return stopStarted;
}

/**
 * A service with consumers gets the parked-event admin routes on its app (GET /admin/parked-events,
 * POST /admin/parked-events/:id/replay) and the gauge of the events parked and not yet replayed.
 * Registered after the service's own routes, so the API document describes them too.
 */
function mountParkedEvents(
  app: ListeningApp,
  db: AnyDb,
  config: ServiceKitConfig,
  steps: [string, Shutdown][],
) {
  if (typeof (app as Partial<HttpApp>).register === 'function')
    registerParkedEventRoutes(app as HttpApp, { db, adminToken: config.ADMIN_TOKEN });
  const unwatch = watchParkedEvents(db);
  steps.push(['parked events gauge', async () => unwatch()]);
}

/**
 * The bus as the service's parts see it: each consumer group it runs is watched for lag (messages
 * of its topics not yet committed, per topic), read from Kafka when Prometheus scrapes.
 */
function withLagGauge(bus: MessageBus, steps: [string, Shutdown][]): MessageBus {
  return {
    ...bus,
    async runConsumer(options) {
      const stop = await bus.runConsumer(options);
      const { consumerLag } = bus;
      if (consumerLag) {
        const unwatch = collectOnScrape(
          'hopthu_consumer_lag',
          'Messages of a topic a consumer group has not yet committed (end offset minus committed offset)',
          ['group', 'topic'],
          async () =>
            (await consumerLag(options.groupId, options.topics)).map((l) => ({
              labels: { group: options.groupId, topic: l.topic },
              value: l.lag,
            })),
        );
        steps.push([`lag gauge ${options.groupId}`, async () => unwatch()]);
      }
      return stop;
    },
  };
}

/** A service process: its logger, startService, and close-with-grace on SIGTERM/SIGINT. */
export async function runServiceMain<DB>(spec: ServiceSpec<DB>): Promise<void> {
  const logger = createLogger(spec.name, { level: spec.config.LOG_LEVEL });
  await runService(logger, () => startService(spec, logger));
}

/** The migrations folder beside a service's src/ (main.ts passes its import.meta.dirname). */
export function migrationsBeside(srcDir: string): string {
  return path.join(srcDir, '..', 'migrations');
}
