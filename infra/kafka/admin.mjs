// hopthu: Kafka admin helper used by scripts/infra.sh (no Java tool start-up cost).
//   node infra/kafka/admin.mjs wait [timeoutSeconds]   -> exit 0 once describeCluster answers
//   node infra/kafka/admin.mjs topics [warm]           -> create the hopthu topics if missing;
//                                                         warm: also load the coordinators (after a start)
//   node infra/kafka/admin.mjs list                    -> print topic names
// Broker address: KAFKA_BROKERS (default 127.0.0.1:9092).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

// resolve kafkajs from the repo root even when run from elsewhere
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { Kafka, logLevel } = createRequire(path.join(root, 'package.json'))('kafkajs');

// 12 partitions: enough for two or three instances of each service, each consuming several
// partitions at once (a request's items share one partition, so a burst of many requests spreads).
export const PARTITIONS = 12;

export const TOPICS = [
  // keyed by request id
  { topic: 'hopthu.requests.v1' },
  // keyed by mailbox id (per-mailbox order)
  { topic: 'hopthu.provisioning.commands.v1' },
  { topic: 'hopthu.provisioning.results.v1' },
  { topic: 'hopthu.provisioning.deadletter.v1' },
  // compacted: latest state per key (mailbox id or agency id)
  { topic: 'hopthu.directory.v1', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
].map((t) => ({ numPartitions: PARTITIONS, replicationFactor: 1, configEntries: [], ...t }));

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const kafka = new Kafka({
  clientId: 'hopthu-infra',
  brokers,
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  requestTimeout: 5000,
  retry: { retries: 0 },
});

async function waitReady(timeoutS) {
  const deadline = Date.now() + timeoutS * 1000;
  let last;
  while (Date.now() < deadline) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const c = await admin.describeCluster();
      // the group coordinator needs __consumer_offsets: a metadata round-trip is enough here
      await admin.listTopics();
      await admin.disconnect();
      if (c.brokers.length > 0) return c;
    } catch (e) {
      last = e;
      await admin.disconnect().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Kafka at ${brokers} not ready after ${timeoutS}s: ${last?.message ?? 'no answer'}`);
}

// On a fresh cluster the group and transaction coordinators create and load
// __consumer_offsets / __transaction_state on first use, and the first clients get
// COORDINATOR_LOAD_IN_PROGRESS / COORDINATOR_NOT_AVAILABLE (retried by kafkajs, but
// logged as ERROR). Touch both here, until they answer, so services meet a warm broker.
async function warmUp(admin) {
  const deadline = Date.now() + 60000;
  for (;;) {
    try {
      await admin.describeGroups(['hopthu-infra-warmup']);
      const p = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        transactionalId: 'hopthu-infra-warmup',
        retry: { retries: 5 },
      });
      await p.connect();
      try {
        const t = await p.transaction(); // InitProducerId: loads the transaction coordinator
        await t.abort(); // nothing was sent: no marker is written
      } finally {
        await p.disconnect();
      }
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`coordinators not ready: ${e.message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

// A topic made before PARTITIONS was raised gets the new partitions. Not a compacted topic: its
// keys' latest states would then sit on two partitions with no order between them.
async function growPartitions(admin, topics) {
  const plain = topics.filter((t) => t.configEntries.length === 0);
  if (plain.length === 0) return;
  const { topics: described } = await admin.fetchTopicMetadata({ topics: plain.map((t) => t.topic) });
  const grow = described
    .filter((d) => d.partitions.length < PARTITIONS)
    .map((d) => ({ topic: d.name, count: PARTITIONS }));
  if (grow.length === 0) return;
  await admin.createPartitions({ topicPartitions: grow, validateOnly: false });
  console.log(`grew to ${PARTITIONS} partitions: ${grow.map((g) => g.topic).join(', ')}`);
}

async function ensureTopics(warm) {
  const admin = kafka.admin({ retry: { retries: 10 } });
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = TOPICS.filter((t) => !existing.has(t.topic));
    if (missing.length) {
      await admin.createTopics({ topics: missing, waitForLeaders: true });
      console.log(`created ${missing.map((t) => t.topic).join(', ')}`);
    }
    await growPartitions(
      admin,
      TOPICS.filter((t) => existing.has(t.topic)),
    );
    if (warm || !existing.has('__consumer_offsets') || !existing.has('__transaction_state'))
      await warmUp(admin);
  } finally {
    await admin.disconnect();
  }
}

const [cmd, arg] = process.argv.slice(2);
try {
  if (cmd === 'wait') {
    const c = await waitReady(Number(arg ?? 60));
    console.log(`kafka up: cluster ${c.clusterId}, controller ${c.controller}`);
  } else if (cmd === 'topics') {
    await ensureTopics(arg === 'warm');
  } else if (cmd === 'list') {
    const admin = kafka.admin();
    await admin.connect();
    console.log((await admin.listTopics()).sort().join('\n'));
    await admin.disconnect();
  } else {
    console.error('usage: admin.mjs wait [seconds] | topics [warm] | list');
    process.exit(2);
  }
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
