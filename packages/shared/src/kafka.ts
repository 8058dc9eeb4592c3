// The Kafka adapter: the only module that imports kafkajs. Services see a small interface
// (publish a batch, run a consumer group with a per-message handler), so the client can be
// replaced (e.g. by @platformatic/kafka) without touching them.
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
// @ts-expect-error kafkajs ships no types for its internal modules
import RequestQueue from 'kafkajs/src/network/requestQueue/index.js';
import type { Logger } from './logger.ts';

/**
 * kafkajs 2.2.4 re-arms a timer for "pending requests" on every connection after each answered
 * request even when nothing is pending and nothing is throttled: its delay, `throttledUntil (-1) -
 * Date.now()`, is negative, Node runs it after 1 ms, and the callback arms it again, so every
 * broker connection of every producer, consumer and admin spins a 1 ms timer for as long as it is
 * open (kafkajs issue #1751; Node 24 warns TimeoutNegativeWarning): ~3,900 timers a second and
 * 36–40 ms of CPU a second in an idle process with a producer and two consumers, 0 and 7–15 ms
 * with this (docs/performance.md); each service burnt ~5 % of a core at rest. The check is
 * needed only while requests wait (in-flight limit or a broker's throttle); a request queued later
 * schedules it again (push), and an answered request checks the queue itself (fulfillRequest).
 */
const CHECK_PENDING_REQUESTS_MS = 10; // kafkajs' own interval
(
  RequestQueue as {
    prototype: {
      scheduleCheckPendingRequests(): void;
      pending: unknown[];
      throttledUntil: number;
      throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
      checkPendingRequests(): void;
    };
  }
).prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests() {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const throttled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    throttled > 0 ? throttled : CHECK_PENDING_REQUESTS_MS,
  );
};

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
      let stopping = false;
      const member = await startKafkajsMember(kafka, opts, logger, () => stopping);
      return async () => {
        stopping = true;
        await member.stop();
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

/**
 * One kafkajs member of a consumer group whose handling is apart from its fetching. kafkajs fetches
 * from a broker, hands the batches to `eachBatch` and fetches again only once every batch of the
 * fetch has returned; with the handling inside `eachBatch`, an event arriving on one partition
 * waited for whatever transaction another partition's batch was running (measured with a 50 ms
 * handler: p50 40 ms against 3 ms when the handling is apart; docs/kafka.md). So `eachBatch` only
 * queues the messages of its partition and resolves their offsets (the next fetch goes on past
 * them), and per-partition workers handle each partition's queue in offset order, a slice of
 * `maxBatch` at a time, at most `partitionsConsumedConcurrently` partitions at once, and commit
 * the offset after each slice once it is handled (autoCommit is off: an offset is committed only
 * for handled messages, so at-least-once holds). A partition whose queue is long is paused until
 * its worker catches up, which bounds what a member holds.
 *
 * After a rebalance kafkajs fetches every assigned partition again from its committed offset:
 * the queues are emptied then, and a message this member already handled is not queued twice. A
 * worker whose partition was taken away stops at its next heartbeat (GroupRebalancingError: the
 * inbox rolls the batch back); one whose handler failed seeks its partition back to the first
 * message not handled and tries again a second later, as kafkajs' own restart did.
 */
async function startKafkajsMember(
  kafka: Kafka,
  opts: ConsumerOptions,
  logger: Logger,
  stopping: () => boolean,
): Promise<{ stop(): Promise<void> }> {
  const consumer: Consumer = kafka.consumer({
    groupId: opts.groupId,
    // Short, so a member that died without leaving (kill -9, a lost machine) is replaced in
    // seconds; handlers heartbeat while they wait between retries (inbox.ts).
    sessionTimeout: 10_000,
    heartbeatInterval: 2_000,
    allowAutoTopicCreation: false,
    // A fetch holds its whole response in memory until its messages are handled; at the default
    // of 10 MiB a backlog on 12 partitions kept about 10 MiB alive per consumer. 2 MiB is still
    // some two thousand events. The per-partition limit stays 1 MiB, above any record batch the
    // outbox relay sends, so no partition waits behind a batch too large for it.
    maxBytes: 2 * 1024 * 1024,
    // minBytes stays 1: the broker answers a fetch as soon as one message arrives, so this wait
    // costs no latency while messages flow; it bounds how long a partition resumed after a pause
    // (or every partition paused) waits for the fetch in flight. 500 ms as Java's fetch.max.wait.ms.
    maxWaitTimeInMs: 500,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.fromBeginning ?? true });

  const maxBatch = opts.handleBatch ? Math.max(1, opts.maxBatch ?? 100) : 1;
  const concurrency = Math.max(1, opts.partitionsConsumedConcurrently ?? 3);
  const highWater = Math.max(maxBatch, 100) * 4; // queued messages of one partition before it is paused
  const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;
  const queues = new Map<string, BusMessage[]>();
  const handled = new Map<string, bigint>(); // per partition: the offset after the last handled message
  const paused = new Set<string>();
  const running = new Set<string>();
  let assigned: Set<string> | null = null; // null until the first join: kafkajs only fetches what it owns
  let runnerHeartbeat: (() => Promise<void>) | null = null;
  let refusedUntil = 0; // a heartbeat was refused: until then (or the next join) take it as refused
  let stopped = false;

  const owns = (topic: string, partition: number) =>
    assigned === null || assigned.has(partitionKey(topic, partition));
  // kafkajs throws from pause/resume/seek while its group is not running (stopped, or restarting
  // after a crash); a timer's throw would end the process, and a rejoin fetches from the commits
  const control = (what: string, topic: string, partition: number, act: () => void) => {
    if (stopped) return;
    try {
      act();
    } catch (err) {
      logger.debug({ err, topic, partition }, `${what} refused`);
    }
  };
  const pause = (topic: string, partition: number) => {
    paused.add(partitionKey(topic, partition));
    control('pause', topic, partition, () => consumer.pause([{ topic, partitions: [partition] }]));
  };
  const resume = (topic: string, partition: number) => {
    if (!paused.delete(partitionKey(topic, partition))) return;
    control('resume', topic, partition, () => consumer.resume([{ topic, partitions: [partition] }]));
  };

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    refusedUntil = 0;
    assigned = new Set(
      Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
        partitions.map((p) => partitionKey(topic, p)),
      ),
    );
    // kafkajs fetches every assigned partition again from its committed offset
    for (const queue of queues.values()) queue.length = 0;
    for (const key of [...handled.keys()]) if (!assigned.has(key)) handled.delete(key);
    for (const key of [...paused]) {
      const [topic, partition] = key.split('\u0000') as [string, string];
      resume(topic, Number(partition));
    }
  });

  const commit = async (topic: string, partition: number, offset: string) => {
    const next = BigInt(offset) + 1n;
    const key = partitionKey(topic, partition);
    if (next <= (handled.get(key) ?? -1n)) return;
    handled.set(key, next);
    try {
      await consumer.commitOffsets([{ topic, partition, offset: next.toString() }]);
    } catch (err) {
      // a rebalance under way: the partition resumes from the last commit, the inbox de-duplicates
      logger.debug({ err, topic, partition }, 'commit refused');
    }
  };

  /** Gives up the queued messages of a partition from `offset` on; kafkajs fetches them again. */
  const rewind = (topic: string, partition: number, offset: string) => {
    queues.get(partitionKey(topic, partition))?.splice(0);
    if (owns(topic, partition))
      control('seek', topic, partition, () => consumer.seek({ topic, partition, offset }));
  };

  const drain = async (key: string, queue: BusMessage[]) => {
    running.add(key);
    try {
      while (queue.length > 0 && !stopping() && !stopped) {
        const slice = queue.splice(0, maxBatch);
        const first = slice[0]!;
        const { topic, partition } = first;
        if (queue.length < highWater / 2) resume(topic, partition);
        if (!owns(topic, partition)) {
          queue.length = 0; // another member has this partition now
          return;
        }
        const controls: ConsumerControls = {
          heartbeat: async () => {
            if (!owns(topic, partition)) {
              throw new GroupRebalancingError(
                `consumer group ${opts.groupId}: ${topic}/${partition} reassigned`,
              );
            }
            // one refused heartbeat stands for the rebalance for a second or until this member has
            // rejoined: the other workers need not each ask again (kafkajs logs every refusal)
            if (Date.now() < refusedUntil) {
              throw new GroupRebalancingError(`consumer group ${opts.groupId}: rejoining`);
            }
            try {
              await runnerHeartbeat?.();
            } catch (err) {
              refusedUntil = Date.now() + 1_000;
              throw new GroupRebalancingError(`consumer group ${opts.groupId}: ${(err as Error).message}`, {
                cause: err,
              });
            }
          },
          stopping,
          handledUpTo: (offset: string) => commit(topic, partition, offset),
        };
        try {
          if (opts.handleBatch) await opts.handleBatch(slice, controls);
          else await opts.handle(first, controls);
        } catch (err) {
          if (!(err instanceof GroupRebalancingError)) {
            logger.error({ err, topic, partition, offset: first.offset }, 'handler failed; trying again');
            pause(topic, partition);
            setTimeout(() => resume(topic, partition), 1_000).unref();
          }
          // what was not handled is fetched again (or by the partition's new member)
          rewind(topic, partition, first.offset);
          return;
        }
        await commit(topic, partition, slice.at(-1)!.offset);
      }
    } finally {
      running.delete(key);
      schedule();
    }
  };

  function schedule() {
    if (stopped || stopping()) return;
    for (const [key, queue] of queues) {
      if (running.size >= concurrency) return;
      if (queue.length > 0 && !running.has(key)) void drain(key, queue);
    }
  }

  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    // eachBatch only queues, so every partition with news is taken at each fetch
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      runnerHeartbeat = heartbeat;
      if (!isRunning() || isStale() || batch.isEmpty()) return;
      const key = partitionKey(batch.topic, batch.partition);
      let queue = queues.get(key);
      if (!queue) {
        queue = [];
        queues.set(key, queue);
      }
      const done = handled.get(key) ?? -1n;
      for (const m of batch.messages) {
        if (BigInt(m.offset) >= done) queue.push(toBusMessage(batch.topic, batch.partition, m));
      }
      resolveOffset(batch.lastOffset()); // the next fetch goes on past them; committed once handled
      if (queue.length >= highWater) pause(batch.topic, batch.partition);
      schedule();
    },
  });

  return {
    async stop() {
      stopped = true; // no new slice starts
      while (running.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await consumer.disconnect();
    },
  };
}

function toBusMessage(
  topic: string,
  partition: number,
  message: {
    offset: string;
    key: Buffer | null;
    value: Buffer | null;
    headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
  },
): BusMessage {
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
}

export function parseBrokers(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
