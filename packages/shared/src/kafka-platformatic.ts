// The same MessageBus on @platformatic/kafka (pure JavaScript, maintained, speaks the current
// protocol versions), chosen with KAFKA_CLIENT=platformatic. Semantics kept from the kafkajs
// adapter: a partition's messages are handled in offset order, one batch of one partition at a
// time; an offset is committed only once its handler returned; after a rebalance, messages
// already fetched for a partition this member lost are dropped (the inbox de-duplicates the few
// that another member sees again). Heartbeats run in the client's own timer, so a long handler
// does not lose the group; `controls.heartbeat()` only tells the handler that its partition was
// taken away.
import {
  Admin,
  Consumer,
  compatibilityPartitioner,
  type Message,
  Producer,
  ProduceAcks,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import {
  type BusMessage,
  type ConsumerOptions,
  GroupRebalancingError,
  type MessageBus,
  type OutgoingMessage,
} from './kafka.ts';
import type { Logger } from './logger.ts';

export function createPlatformaticBus(options: {
  brokers: string[];
  clientId: string;
  logger: Logger;
}): MessageBus {
  const logger = options.logger.child({ component: 'kafka', client: 'platformatic' });
  const base = {
    clientId: options.clientId,
    bootstrapBrokers: options.brokers,
    retries: 10,
    retryDelay: 200,
  };
  const withAdmin = async <T>(work: (admin: Admin) => Promise<T>): Promise<T> => {
    const admin = new Admin(base);
    try {
      return await work(admin);
    } finally {
      await admin.close();
    }
  };

  return {
    async createProducer() {
      const producer = new Producer({
        ...base,
        idempotent: true,
        acks: ProduceAcks.ALL,
        serializers: stringSerializers,
        // Java's (and kafkajs') key → partition mapping, so one mailbox's commands land on the same
        // partition whichever client produced them (its default partitioner maps differently)
        partitioner: compatibilityPartitioner,
        autocreateTopics: false,
      });
      return {
        async send(messages: OutgoingMessage[]) {
          if (messages.length === 0) return;
          await producer.send({
            messages: messages.map((m) => ({
              topic: m.topic,
              key: m.key,
              value: m.value,
              headers: new Map(Object.entries(m.headers ?? {})),
            })),
          });
        },
        disconnect: () => producer.close(),
      };
    },

    async runConsumer(opts: ConsumerOptions) {
      let stopping = false;
      let current = await startMember(opts, base, logger, () => stopping, restart);
      let restarting: Promise<void> | undefined;
      // on a handler error, as kafkajs does: leave the group and join again a second later, so
      // every partition resumes from its last committed offset and nothing is skipped
      function restart() {
        restarting ??= (async () => {
          await current.stop();
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          if (!stopping) current = await startMember(opts, base, logger, () => stopping, restart);
        })().finally(() => {
          restarting = undefined;
        });
      }
      return async () => {
        stopping = true;
        await restarting;
        await current.stop();
      };
    },

    async ensureTopics(topics) {
      await withAdmin(async (admin) => {
        const existing = new Set(await admin.listTopics());
        for (const t of topics.filter((x) => !existing.has(x.topic))) {
          await admin.createTopics({
            topics: [t.topic],
            partitions: t.partitions ?? 12,
            replicas: 1,
            configs: t.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
          });
        }
      });
    },

    async ping() {
      await withAdmin(async (admin) => {
        await admin.metadata({ topics: [] });
      });
    },

    async consumerLag(groupId, topics) {
      return withAdmin(async (admin) => {
        const metadata = await admin.metadata({ topics });
        const ends = await admin.listOffsets({
          topics: topics.map((name) => ({
            name,
            partitions: Array.from(
              { length: metadata.topics.get(name)?.partitionsCount ?? 0 },
              (_, partitionIndex) => ({ partitionIndex, timestamp: -1n }),
            ),
          })),
        });
        const [group] = await admin.listConsumerGroupOffsets({ groups: [groupId] });
        return topics.map((topic) => {
          const committed = group?.topics.find((t) => t.name === topic)?.partitions ?? [];
          let lag = 0;
          for (const end of ends.find((t) => t.name === topic)?.partitions ?? []) {
            const done = committed.find((p) => p.partitionIndex === end.partitionIndex)?.committedOffset;
            lag += Math.max(0, Number(end.offset - (done === undefined || done < 0n ? 0n : done)));
          }
          return { topic, lag };
        });
      });
    },
  };
}

/** One member of the group: a consumer, its stream and the per-partition queues it feeds. */
async function startMember(
  opts: ConsumerOptions,
  base: { clientId: string; bootstrapBrokers: string[]; retries: number; retryDelay: number },
  logger: Logger,
  stopping: () => boolean,
  onFailure: () => void,
): Promise<{ stop(): Promise<void> }> {
  const consumer = new Consumer<string, Buffer, string, string>({
    ...base,
    groupId: opts.groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 2_000,
    deserializers: {
      key: stringDeserializers.key,
      headerKey: stringDeserializers.headerKey,
      headerValue: stringDeserializers.headerValue,
    },
    autocommit: false,
    maxWaitTime: 100, // a long poll's wait bounds the p99 of a round trip (docs/kafka.md)
  });
  const stream = await consumer.consume({
    topics: opts.topics,
    mode: 'committed',
    fallbackMode: opts.fromBeginning === false ? 'latest' : 'earliest',
    autocommit: false,
  });

  const maxBatch = opts.handleBatch ? Math.max(1, opts.maxBatch ?? 100) : 1;
  const concurrency = Math.max(1, opts.partitionsConsumedConcurrently ?? 3);
  const highWater = Math.max(maxBatch, 100) * concurrency * 4;
  const queues = new Map<string, BufferMessage[]>();
  const running = new Set<string>();
  let buffered = 0;
  let failed = false;

  const owns = (topic: string, partition: number) =>
    (consumer.assignments ?? []).some((a) => a.topic === topic && a.partitions.includes(partition));

  const commit = async (m: BufferMessage) => {
    try {
      await consumer.commit({
        offsets: [
          { topic: m.topic, partition: m.partition, offset: m.offset + 1n, leaderEpoch: m.leaderEpoch },
        ],
      });
    } catch (err) {
      // the partition went to another member in a rebalance: it resumes from the last commit
      logger.debug({ err, topic: m.topic, partition: m.partition }, 'commit refused');
    }
  };

  const drain = async (key: string, queue: BufferMessage[]) => {
    running.add(key);
    try {
      while (queue.length > 0 && !stopping() && !failed) {
        const slice = queue.splice(0, maxBatch);
        buffered -= slice.length;
        if (buffered < highWater / 2 && stream.isPaused()) stream.resume();
        const first = slice[0]!;
        if (!owns(first.topic, first.partition)) {
          buffered -= queue.length;
          queue.length = 0; // another member has this partition now
          return;
        }
        const controls = {
          heartbeat: async () => {
            if (!owns(first.topic, first.partition)) {
              throw new GroupRebalancingError(
                `consumer group ${opts.groupId}: ${first.topic}/${first.partition} reassigned`,
              );
            }
          },
          stopping,
          handledUpTo: async (offset: string) => {
            const done = slice.find((m) => m.offset.toString() === offset);
            if (done) await commit(done);
          },
        };
        try {
          if (opts.handleBatch) await opts.handleBatch(slice.map(toBusMessage), controls);
          else await opts.handle(toBusMessage(first), controls);
        } catch (err) {
          if (err instanceof GroupRebalancingError) {
            buffered -= queue.length;
            queue.length = 0;
            return;
          }
          failed = true;
          logger.error({ err, topic: first.topic, partition: first.partition }, 'handler failed');
          onFailure();
          return;
        }
        await commit(slice.at(-1)!);
      }
    } finally {
      running.delete(key);
      schedule();
    }
  };

  function schedule() {
    if (failed || stopping()) return;
    for (const [key, queue] of queues) {
      if (running.size >= concurrency) return;
      if (queue.length > 0 && !running.has(key)) void drain(key, queue);
    }
  }

  stream.on('data', (m: BufferMessage) => {
    const key = `${m.topic}\u0000${m.partition}`;
    const queue = queues.get(key) ?? [];
    queues.set(key, queue);
    queue.push(m);
    buffered += 1;
    if (buffered >= highWater) stream.pause();
    schedule();
  });
  stream.on('error', (err: Error) => {
    if (!stopping() && !failed) {
      logger.error({ err }, 'consumer stream failed');
      failed = true;
      onFailure();
    }
  });

  return {
    async stop() {
      failed = true; // no new batch starts
      while (running.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await stream.close().catch(() => {});
      await consumer.close(true).catch(() => {});
    },
  };
}

type BufferMessage = Message<string, Buffer, string, string>;

function toBusMessage(m: BufferMessage): BusMessage {
  return {
    topic: m.topic,
    partition: m.partition,
    offset: m.offset.toString(),
    key: m.key ?? null,
    value: m.value ?? null,
    headers: Object.fromEntries(m.headers),
  };
}
