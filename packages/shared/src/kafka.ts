// The Kafka adapter: the only module that imports kafkajs. Services see a small interface
// (publish a batch, run a consumer group with a per-message handler), so the client can be
// replaced (e.g. by @platformatic/kafka) without touching them.
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import type { Logger } from './logger.ts';

/** Which client library carries the bus (KAFKA_CLIENT); docs/kafka.md compares them. */
export type KafkaClientName = 'kafkajs' | 'platformatic';

export interface BusMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface BusProducer {
  /** Resolves once every message is acknowledged by all in-sync replicas (acks=all). */
  send(messages: OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Thrown by `ConsumerControls.heartbeat` when the group is rebalancing (or this member was dropped
 * from it): the batch in hand must be abandoned, uncommitted, so that this member rejoins at once;
 * its messages go to whichever member the rebalance gives the partition (the inbox de-duplicates).
 */
export class GroupRebalancingError extends Error {
  override name = 'GroupRebalancingError';
}

export interface ConsumerControls {
  /** Keeps group membership alive during a long batch or retry; GroupRebalancingError when it must stop. */
  heartbeat(): Promise<void>;
  /** True once shutdown has begun: long retries should stop waiting. */
  stopping(): boolean;
  /**
   * In a batch handler: every message up to this offset is fully handled, so its offset may be
   * committed now rather than after the whole batch (a rebalance then resumes from here).
   */
  handledUpTo?(offset: string): Promise<void>;
}

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  /** Must return only once the message is fully handled; its offset is committed after. */
  handle(message: BusMessage, controls: ConsumerControls): Promise<void>;
  /**
   * When given, used instead of `handle`: consecutive messages of one partition (at most
   * `maxBatch`, in offset order), handled together; the offset after the last is committed once
   * it returns. It must return only once every message of the batch is fully handled.
   */
  handleBatch?(messages: BusMessage[], controls: ConsumerControls): Promise<void>;
  maxBatch?: number;
  fromBeginning?: boolean;
  partitionsConsumedConcurrently?: number;
}

export interface MessageBus {
  createProducer(): Promise<BusProducer>;
  runConsumer(options: ConsumerOptions): Promise<() => Promise<void>>;
  ensureTopics(topics: { topic: string; partitions?: number; compacted?: boolean }[]): Promise<void>;
  ping(): Promise<void>;
  /** Per topic: messages a consumer group has not yet committed (end offsets less committed ones). */
  consumerLag?(groupId: string, topics: string[]): Promise<{ topic: string; lag: number }[]>;
}

function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ level, log }: { level: number; log: { message: string } & Record<string, unknown> }) => {
      const { message, ...extra } = log;
      const fields = { kafka: extra };
      if (level === logLevel.ERROR) logger.error(fields, message);
      else if (level === logLevel.WARN) logger.warn(fields, message);
      else logger.debug(fields, message);
    };
}

/**
 * The @platformatic/kafka bus, its module imported only once a process chooses it: loading that
 * library costs about 20 MiB resident and 10 MiB of heap, which every service paid while running
 * on kafkajs (docs/performance.md).
 */
function lazyPlatformaticBus(options: { brokers: string[]; clientId: string; logger: Logger }): MessageBus {
  let loaded: Promise<MessageBus> | undefined;
  const bus = () => {
    loaded ??= import('./kafka-platformatic.ts').then((m) => m.createPlatformaticBus(options));
    return loaded;
  };
  return {
    createProducer: async () => (await bus()).createProducer(),
    runConsumer: async (consumer) => (await bus()).runConsumer(consumer),
    ensureTopics: async (topics) => (await bus()).ensureTopics(topics),
    ping: async () => (await bus()).ping(),
    consumerLag: async (groupId, topics) => (await bus()).consumerLag?.(groupId, topics) ?? [],
  };
}

export function createMessageBus(options: {
  brokers: string[];
  clientId: string;
  logger: Logger;
  client?: KafkaClientName;
}): MessageBus {
  if (options.client === 'platformatic') return lazyPlatformaticBus(options);
  const logger = options.logger.child({ component: 'kafka' });
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 5000 },
  });

  return {
    async createProducer() {
      const producer: Producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      return {
        async send(messages) {
          if (messages.length === 0) return;
          const byTopic = new Map<string, OutgoingMessage[]>();
          for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
          await producer.sendBatch({
            acks: -1,
            topicMessages: [...byTopic].map(([topic, ms]) => ({
              topic,
              messages: ms.map((m) => ({ key: m.key, value: m.value, headers: m.headers ?? {} })),
            })),
          });
        },
        disconnect: () => producer.disconnect(),
      };
    },

    async runConsumer(opts) {
      const consumer: Consumer = kafka.consumer({
        groupId: opts.groupId,
        // Short, so a member that died without leaving (kill -9, a lost machine) is replaced in
        // seconds; handlers heartbeat while they wait between retries (inbox.ts).
        sessionTimeout: 10_000,
        heartbeatInterval: 2_000,
        allowAutoTopicCreation: false,
        // A fetch holds its whole response in memory until every message of it is handled; at the
        // default of 10 MiB a backlog on 12 partitions kept about 10 MiB alive per consumer. 2 MiB
        // is still some two thousand events, far more than a consumer's batches (100 events, 3
        // partitions at once) take in the time of a fetch. The per-partition limit stays 1 MiB,
        // above any record batch the outbox relay sends, so no partition waits behind a batch too
        // large for it (docs/performance.md).
        maxBytes: 2 * 1024 * 1024,
      });
      let stopping = false;
      await consumer.connect();
      await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.fromBeginning ?? true });
      const toBusMessage = (
        topic: string,
        partition: number,
        message: {
          offset: string;
          key: Buffer | null;
          value: Buffer | null;
          headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
        },
      ): BusMessage => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) {
          if (v !== undefined) headers[k] = Array.isArray(v) ? String(v[0]) : String(v);
        }
        return {
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value,
          headers,
        };
      };
      const handleBatch = opts.handleBatch;
      const maxBatch = Math.max(1, opts.maxBatch ?? 100);
      await consumer.run({
        autoCommit: true,
        partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 3,
        ...(handleBatch
          ? {
              eachBatchAutoResolve: false,
              eachBatch: async ({
                batch,
                resolveOffset,
                heartbeat,
                commitOffsetsIfNecessary,
                isRunning,
                isStale,
              }) => {
                const controls = {
                  heartbeat: async () => {
                    try {
                      await heartbeat();
                    } catch (err) {
                      throw new GroupRebalancingError(
                        `consumer group ${opts.groupId}: ${(err as Error).message}`,
                        { cause: err },
                      );
                    }
                  },
                  stopping: () => stopping,
                  handledUpTo: async (offset: string) => {
                    resolveOffset(offset);
                    await commitOffsetsIfNecessary();
                  },
                };
                for (let start = 0; start < batch.messages.length; start += maxBatch) {
                  // after a rebalance or on shutdown the rest of the fetch is another member's
                  if (!isRunning() || isStale() || stopping) return;
                  const slice = batch.messages.slice(start, start + maxBatch);
                  try {
                    await handleBatch(
                      slice.map((m) => toBusMessage(batch.topic, batch.partition, m)),
                      controls,
                    );
                  } catch (err) {
                    // kafkajs rejoins the group on its own rebalance error, not on ours
                    if (err instanceof GroupRebalancingError && err.cause) throw err.cause;
                    throw err;
                  }
                  resolveOffset(slice.at(-1)!.offset);
                  await commitOffsetsIfNecessary();
                  await heartbeat(); // a rebalance throws here: kafkajs rejoins with what is committed
                }
              },
            }
          : {
              eachMessage: async ({ topic, partition, message, heartbeat }) => {
                await opts.handle(toBusMessage(topic, partition, message), {
                  heartbeat,
                  stopping: () => stopping,
                });
              },
            }),
      });
      return async () => {
        stopping = true;
        await consumer.disconnect();
      };
    },

    async ensureTopics(topics) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((t) => !existing.has(t.topic));
        if (missing.length > 0) {
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((t) => ({
              topic: t.topic,
              numPartitions: t.partitions ?? 12, // as infra/kafka/admin.mjs
              replicationFactor: 1,
              configEntries: t.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
            })),
          });
        }
      } finally {
        await admin.disconnect();
      }
    },

    async ping() {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.describeCluster();
      } finally {
        await admin.disconnect();
      }
    },

    async consumerLag(groupId, topics) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const committed = await admin.fetchOffsets({ groupId, topics });
        const lags: { topic: string; lag: number }[] = [];
        for (const { topic, partitions } of committed) {
          const ends = await admin.fetchTopicOffsets(topic);
          let lag = 0;
          for (const end of ends) {
            const done = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
            // nothing committed yet: everything still in the log is waiting
            const from = Number(done) < 0 ? Number(end.low) : Number(done);
            lag += Math.max(0, Number(end.high) - from);
          }
          lags.push({ topic, lag });
        }
        return lags;
      } finally {
        await admin.disconnect();
      }
    },
  };
}

export function parseBrokers(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
