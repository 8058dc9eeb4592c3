// The bus adapter's contract, run on the real broker with each client library behind it
// (KAFKA_CLIENT: kafkajs, platformatic): what the services rely on, whichever carries it.
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  type BusMessage,
  createMessageBus,
  type KafkaClientName,
  type MessageBus,
  parseBrokers,
} from '@hopthu/shared/kafka';
import { createLogger } from '@hopthu/shared/logger';

const brokers = parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092');
const logger = createLogger('kafka-clients-test', { level: 'warn' });

async function until(check: () => boolean, what: string, ms = 30_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function produceKeyed(bus: MessageBus, topic: string, keys: number, perKey: number, from = 0) {
  return bus.createProducer().then(async (producer) => {
    for (let i = from; i < from + perKey; i++) {
      await producer.send(
        Array.from({ length: keys }, (_, k) => ({
          topic,
          key: `key-${k}`,
          value: JSON.stringify({ k, i }),
          headers: { 'ce-id': `${k}-${i}`, 'ce-type': 'vn.gov.hopthu.test.v1' },
        })),
      );
    }
    await producer.disconnect();
  });
}

describe.each(['kafkajs', 'platformatic'] as KafkaClientName[])('the bus on %s', (client) => {
  const bus = createMessageBus({ brokers, clientId: `contract-${client}`, logger, client });

  it('when keyed messages are sent, then a group receives each once, in order per key, with headers, and commits them', async () => {
    const topic = `test.contract.${client}.${randomUUID()}`;
    const groupId = `contract-${randomUUID()}`;
    await bus.ensureTopics([{ topic, partitions: 12 }]);
    await produceKeyed(bus, topic, 20, 15);

    const seen: BusMessage[] = [];
    const stop = await bus.runConsumer({
      groupId,
      topics: [topic],
      maxBatch: 7,
      handleBatch: async (messages) => {
        seen.push(...messages);
      },
      handle: async () => {},
    });
    await until(() => seen.length >= 300, '300 messages');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await stop();

    expect(seen).toHaveLength(300);
    expect(new Set(seen.map((m) => m.headers['ce-id'])).size).toBe(300);
    for (let k = 0; k < 20; k++) {
      const order = seen
        .filter((m) => m.key === `key-${k}`)
        .map((m) => (JSON.parse(m.value!.toString('utf8')) as { i: number }).i);
      expect(order).toEqual(Array.from({ length: 15 }, (_, i) => i));
    }
    expect(Buffer.isBuffer(seen[0]!.value)).toBe(true);
    expect(seen[0]!.headers['ce-type']).toBe('vn.gov.hopthu.test.v1');

    // committed: a new member of the group gets only what is sent afterwards
    await produceKeyed(bus, topic, 3, 1, 100);
    const after: BusMessage[] = [];
    const stopAgain = await bus.runConsumer({
      groupId,
      topics: [topic],
      handleBatch: async (messages) => {
        after.push(...messages);
      },
      handle: async () => {},
    });
    await until(() => after.length >= 3, 'the 3 later messages');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await stopAgain();
    expect(after.map((m) => m.headers['ce-id']).sort()).toEqual(['0-100', '1-100', '2-100']);
    expect(await bus.consumerLag?.(groupId, [topic])).toEqual([{ topic, lag: 0 }]);
  });

  it('when a handler fails, then its messages come again and nothing after them is skipped', async () => {
    const topic = `test.contract.${client}.${randomUUID()}`;
    await bus.ensureTopics([{ topic, partitions: 1 }]);
    await produceKeyed(bus, topic, 1, 10);

    const handled: string[] = [];
    let failures = 0;
    const stop = await bus.runConsumer({
      groupId: `contract-${randomUUID()}`,
      topics: [topic],
      maxBatch: 4,
      handleBatch: async (messages) => {
        if (messages.some((m) => m.headers['ce-id'] === '0-5') && failures === 0) {
          failures += 1;
          throw new Error('the database was away');
        }
        handled.push(...messages.map((m) => m.headers['ce-id']!));
      },
      handle: async () => {},
    });
    await until(() => handled.includes('0-9'), 'the last message', 60_000);
    await stop();

    expect(failures).toBe(1);
    const unique = [...new Set(handled)];
    expect(unique).toEqual(Array.from({ length: 10 }, (_, i) => `0-${i}`));
  });

  it('when the batch of one partition is still being handled, then a message on another partition is handled meanwhile', async () => {
    // kafkajs itself fetches again only once every batch of a fetch has returned; the adapter
    // handles apart from fetching, so one slow transaction does not hold the other partitions
    const topic = `test.contract.${client}.${randomUUID()}`;
    await bus.ensureTopics([{ topic, partitions: 12 }]);
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let slowPartition: number | null = null;
    const elsewhere: BusMessage[] = [];
    const stop = await bus.runConsumer({
      groupId: `contract-${randomUUID()}`,
      topics: [topic],
      handleBatch: async (messages) => {
        if (messages.some((m) => m.key === 'slow')) {
          slowPartition = messages[0]!.partition;
          await released;
        } else if (slowPartition !== null) {
          elsewhere.push(...messages.filter((m) => m.partition !== slowPartition));
        }
      },
      handle: async () => {},
    });
    try {
      const producer = await bus.createProducer();
      await producer.send([{ topic, key: 'slow', value: '{}' }]);
      await until(() => slowPartition !== null, 'the slow batch to start');
      await producer.send(
        Array.from({ length: 12 }, (_, k) => ({ topic, key: `other-${k}`, value: JSON.stringify({ k }) })),
      );
      await producer.disconnect();
      await until(() => elsewhere.length > 0, 'a message of another partition', 15_000);
    } finally {
      release();
      await stop();
    }
    expect(elsewhere.every((m) => m.partition !== slowPartition)).toBe(true);
  });

  it('when a second member joins and the first leaves, then every message is handled by someone', async () => {
    const topic = `test.contract.${client}.${randomUUID()}`;
    const groupId = `contract-${randomUUID()}`;
    await bus.ensureTopics([{ topic, partitions: 12 }]);
    const seen = new Set<string>();
    const member = () =>
      bus.runConsumer({
        groupId,
        topics: [topic],
        handleBatch: async (messages) => {
          for (const m of messages) seen.add(m.headers['ce-id']!);
        },
        handle: async () => {},
      });
    const first = await member();
    await produceKeyed(bus, topic, 24, 5, 0);
    const second = await member();
    await produceKeyed(bus, topic, 24, 5, 5);
    await until(() => seen.size >= 240, 'the first 240 messages', 60_000);
    await first();
    await produceKeyed(bus, topic, 24, 5, 10);
    await until(() => seen.size >= 360, 'all 360 messages', 60_000);
    await second();
    expect(seen.size).toBe(360);
  });
});

describe('both clients', () => {
  it('when the same keys are sent by either client, then each key lands on the same partition', async () => {
    const topic = `test.contract.partitioner.${randomUUID()}`;
    const partitionsBy = async (client: KafkaClientName) => {
      const bus = createMessageBus({ brokers, clientId: `partitioner-${client}`, logger, client });
      await bus.ensureTopics([{ topic, partitions: 12 }]);
      const groupId = `partitioner-${randomUUID()}`;
      const seen = new Map<string, number>();
      const stop = await bus.runConsumer({
        groupId,
        topics: [topic],
        handleBatch: async (messages) => {
          for (const m of messages) if (m.headers.by === client) seen.set(m.key!, m.partition);
        },
        handle: async () => {},
      });
      const producer = await bus.createProducer();
      await producer.send(
        Array.from({ length: 50 }, (_, i) => ({
          topic,
          key: `mailbox-${i}`,
          value: '{}',
          headers: { by: client },
        })),
      );
      await producer.disconnect();
      await until(() => seen.size >= 50, `50 keys from ${client}`);
      await stop();
      return seen;
    };
    const byKafkajs = await partitionsBy('kafkajs');
    const byPlatformatic = await partitionsBy('platformatic');
    expect([...byPlatformatic.keys()].sort()).toEqual([...byKafkajs.keys()].sort());
    for (const [key, partition] of byKafkajs) expect(byPlatformatic.get(key), key).toBe(partition);
    expect(new Set(byKafkajs.values()).size).toBeGreaterThan(6);
  });
});

describe('kafkajs at rest', () => {
  it('when a consumer and a producer sit idle, then no timer is armed over and over (kafkajs re-armed a 1 ms one per connection)', async () => {
    const bus = createMessageBus({ brokers, clientId: 'idle-kafkajs', logger, client: 'kafkajs' });
    const topic = `test.contract.idle.${randomUUID()}`;
    await bus.ensureTopics([{ topic, partitions: 3 }]);
    const seen: string[] = [];
    const stop = await bus.runConsumer({
      groupId: `idle-${randomUUID()}`,
      topics: [topic],
      handle: async (m) => {
        seen.push(m.value!.toString());
      },
    });
    const producer = await bus.createProducer();
    await producer.send([{ topic, key: 'k', value: 'before' }]);
    await until(() => seen.length === 1, 'the first message');
    const armed = vi.spyOn(globalThis, 'setTimeout');
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      // at rest: fetches (long polls) and a heartbeat a few times; before the fix ~1,000 a second
      expect(armed.mock.calls.length).toBeLessThan(100);
    } finally {
      armed.mockRestore();
    }
    // and messages still flow
    await producer.send([{ topic, key: 'k', value: 'after' }]);
    await until(() => seen.length === 2, 'the second message');
    expect(seen).toEqual(['before', 'after']);
    await producer.disconnect();
    await stop();
  });
});
