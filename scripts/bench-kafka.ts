// The Kafka client part of the bench (issue 15): the same bus adapter on each client library
// (kafkajs, @platformatic/kafka), each in a process of its own, against the local broker:
// - produce: BENCH_KAFKA_MESSAGES event-sized messages (default 20,000), sent 100 at a time and
//   acknowledged by all in-sync replicas, as the outbox relay sends them;
// - consume: the same messages read by a new consumer group in batches of 100, as the services'
//   inbox consumers do, from joining the group to the last message handled;
// - round trip: one message sent and handled by a running consumer, 200 times one after another
//   (what a request's event waits for between two services);
// - idle: the CPU a process spends in 5 s with a consumer subscribed and nothing to read;
// - peak resident memory of the process.
// Called from scripts/bench.ts (key `kafkaClients` of var/bench/latest.json); run alone with
// `node scripts/bench-kafka.ts`.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BusMessage, createMessageBus, type KafkaClientName, parseBrokers } from '@hopthu/shared/kafka';
import { createLogger } from '@hopthu/shared/logger';

const CLIENTS: KafkaClientName[] = ['kafkajs', 'platformatic'];

export interface KafkaClientRun {
  client: KafkaClientName;
  messages: number;
  produce: { seconds: number; messagesPerSecond: number };
  consume: { seconds: number; messagesPerSecond: number; joinSeconds: number };
  roundTripMs: { p50: number; p99: number };
  idleCpuPercent: number;
  peakRssMiB: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
};

function peakRssMiB() {
  const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
  return Math.round(kb / 1024);
}

async function until(check: () => boolean, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`bench-kafka: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** One client's figures, measured in this process. */
async function runOne(client: KafkaClientName, messages: number): Promise<KafkaClientRun> {
  const logger = createLogger('bench-kafka', { level: 'error' });
  const bus = createMessageBus({
    brokers: parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'),
    clientId: `bench-kafka-${client}`,
    logger,
    client,
  });
  const topic = `bench.kafka.${client}.${randomUUID()}`;
  await bus.ensureTopics([{ topic, partitions: 12 }]);
  const payload = JSON.stringify({
    specversion: '1.0',
    type: 'vn.gov.hopthu.requests.item-approved.v1',
    source: 'bench',
    data: { note: 'x'.repeat(400) },
  });

  const producer = await bus.createProducer();
  let started = performance.now();
  for (let i = 0; i < messages; i += 100) {
    await producer.send(
      Array.from({ length: Math.min(100, messages - i) }, (_, j) => ({
        topic,
        key: `mailbox-${(i + j) % 5000}`,
        value: payload,
        headers: { 'ce-id': String(i + j) },
      })),
    );
  }
  const produceSeconds = (performance.now() - started) / 1000;

  let consumed = 0;
  let joined = 0;
  started = performance.now();
  const stopReader = await bus.runConsumer({
    groupId: `bench-kafka-${randomUUID()}`,
    topics: [topic],
    maxBatch: 100,
    handleBatch: async (batch: BusMessage[]) => {
      if (consumed === 0) joined = performance.now();
      consumed += batch.length;
    },
    handle: async () => {},
  });
  await until(() => consumed >= messages, 300_000, `${messages} messages`);
  const consumeSeconds = (performance.now() - started) / 1000;
  await stopReader();

  // round trip through a consumer that is already running
  const echoTopic = `bench.kafka.echo.${client}.${randomUUID()}`;
  await bus.ensureTopics([{ topic: echoTopic, partitions: 12 }]);
  const arrived = new Map<string, number>();
  const stopEcho = await bus.runConsumer({
    groupId: `bench-kafka-echo-${randomUUID()}`,
    topics: [echoTopic],
    fromBeginning: true,
    handleBatch: async (batch: BusMessage[]) => {
      for (const m of batch) arrived.set(m.headers['ce-id']!, performance.now());
    },
    handle: async () => {},
  });
  await producer.send([{ topic: echoTopic, key: 'warm', value: payload, headers: { 'ce-id': 'warm' } }]);
  await until(() => arrived.has('warm'), 60_000, 'the echo consumer');
  const trips: number[] = [];
  for (let i = 0; i < 200; i++) {
    const id = `trip-${i}`;
    const sent = performance.now();
    await producer.send([{ topic: echoTopic, key: id, value: payload, headers: { 'ce-id': id } }]);
    await until(() => arrived.has(id), 30_000, `round trip ${i}`);
    trips.push(arrived.get(id)! - sent);
  }

  // idle: subscribed, nothing to read
  const cpuBefore = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const cpu = process.cpuUsage(cpuBefore);
  await stopEcho();
  await producer.disconnect();

  return {
    client,
    messages,
    produce: {
      seconds: Math.round(produceSeconds * 100) / 100,
      messagesPerSecond: Math.round(messages / produceSeconds),
    },
    consume: {
      seconds: Math.round(consumeSeconds * 100) / 100,
      messagesPerSecond: Math.round(messages / consumeSeconds),
      joinSeconds: Math.round(((joined || performance.now()) - started) / 10) / 100,
    },
    roundTripMs: { p50: percentile(trips, 50), p99: percentile(trips, 99) },
    idleCpuPercent: Math.round(((cpu.user + cpu.system) / 5_000_000) * 1000) / 10,
    peakRssMiB: peakRssMiB(),
  };
}

/** Each client in a fresh process, so memory and CPU are its own. */
export async function benchKafkaClients(
  messages = Number(process.env.BENCH_KAFKA_MESSAGES ?? 20_000),
): Promise<KafkaClientRun[]> {
  const self = fileURLToPath(import.meta.url);
  return CLIENTS.map((client) => {
    const out = execFileSync(process.execPath, [self, '--client', client, '--messages', String(messages)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 600_000,
    });
    return JSON.parse(out.trim().split('\n').at(-1)!) as KafkaClientRun;
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const client = arg('--client') as KafkaClientName | undefined;
  const messages = Number(arg('--messages') ?? process.env.BENCH_KAFKA_MESSAGES ?? 20_000);
  const work = client
    ? runOne(client, messages).then((r) => console.log(JSON.stringify(r)))
    : benchKafkaClients(messages).then((runs) => {
        for (const r of runs) console.log(JSON.stringify(r));
      });
  work.then(
    () => process.exit(0),
    (err) => {
      console.error(String(err?.stack ?? err));
      process.exit(1);
    },
  );
}
