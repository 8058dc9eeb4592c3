// hopthu: kafkajs <-> broker smoke test. Run against a started broker:
//   node infra/kafka/smoke.mjs        (KAFKA_BROKERS, default 127.0.0.1:9092)
// Creates a throw-away topic, produces N keyed messages with the idempotent producer
// (acks=-1, maxInFlightRequests=1, as the outbox relay does), consumes them in a
// consumer group, checks count, per-key order and headers, then a transactional
// produce, and deletes the topic. Exit 0 = pass.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const { Kafka, logLevel } = createRequire(path.join(root, 'package.json'))('kafkajs');

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const kafka = new Kafka({ clientId: 'hopthu-smoke', brokers, logLevel: logLevel.WARN });
const topic = `hopthu.smoke.${randomUUID().slice(0, 8)}`;
const N = 300;
const KEYS = 10;
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
};

const admin = kafka.admin();
await admin.connect();
const t0 = Date.now();
try {
  await admin.createTopics({
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
    waitForLeaders: true,
  });

  // 1. idempotent producer
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < N; i += 50) {
    const messages = [];
    for (let j = i; j < i + 50; j++) {
      messages.push({
        key: `mbx-${j % KEYS}`,
        value: JSON.stringify({ seq: j }),
        headers: { 'event-id': `e${j}` },
      });
    }
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
  check(true, `idempotent producer sent ${N} messages`);

  // 2. transactional producer (exactly what kafkajs supports: v1 txn APIs)
  const tx = kafka.producer({ idempotent: true, maxInFlightRequests: 1, transactionalId: `smoke-${topic}` });
  await tx.connect();
  const t = await tx.transaction();
  await t.send({ topic, messages: [{ key: 'mbx-tx', value: JSON.stringify({ seq: N }) }] });
  await t.commit();
  await tx.disconnect();
  check(true, 'transactional produce committed');

  // 3. consumer group
  const consumer = kafka.consumer({ groupId: `smoke-${topic}`, sessionTimeout: 10000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = [];
  const done = new Promise((resolve) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({
          key: message.key.toString(),
          seq: JSON.parse(message.value.toString()).seq,
          eventId: message.headers['event-id']?.toString(),
        });
        if (seen.length >= N + 1) resolve();
      },
    });
  });
  const timeout = new Promise((_, rej) => setTimeout(() => rej(new Error('consume timeout (30 s)')), 30000));
  await Promise.race([done, timeout]);
  await consumer.disconnect();

  check(seen.length === N + 1, `consumed ${seen.length}/${N + 1} in a group`);
  let ordered = true;
  const lastByKey = new Map();
  for (const m of seen) {
    if ((lastByKey.get(m.key) ?? -1) >= m.seq) ordered = false;
    lastByKey.set(m.key, m.seq);
  }
  check(ordered, 'per-key order kept');
  check(
    seen.filter((m) => m.key !== 'mbx-tx').every((m) => m.eventId === `e${m.seq}`),
    'headers intact',
  );
  check(new Set(seen.map((m) => m.seq)).size === N + 1, 'no duplicates');

  // 4. committed offsets
  const offsets = await admin.fetchOffsets({ groupId: `smoke-${topic}`, topics: [topic] });
  const committed = offsets[0].partitions.reduce((s, p) => s + Number(p.offset), 0);
  check(committed >= N, `group offsets committed (${committed})`);
} catch (e) {
  check(false, `error: ${e.stack ?? e}`);
} finally {
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin.disconnect();
}
console.log(`${failures === 0 ? 'PASS' : 'FAIL'} kafkajs smoke against ${brokers} in ${Date.now() - t0} ms`);
process.exit(failures === 0 ? 0 : 1);
