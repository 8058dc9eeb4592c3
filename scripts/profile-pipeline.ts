// Where the time of 202 → first IMAP login goes (issue 15), on the running stack:
//
//   node scripts/profile-pipeline.ts [requests] [concurrency]     (default 40, 5 at a time)
//
// 1. Restarts requests, directory and provisioner with a V8 CPU profile
//    (HOPTHU_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=var/profile/<stamp>", scripts/commands.sh).
// 2. Runs the bench's first part (scripts/bench.ts, benchSystem): one-person create requests, each
//    timed from its 202 to the first IMAP login with the fetched credential; then the direct
//    baseline (benchBaseline, the durable steps alone) the same number of times, so the run carries
//    its own ratio, and prints the load average.
// 3. Restarts the three without the profile, which writes each one's .cpuprofile as it exits
//    (open them in Chrome DevTools or speedscope), and prints per service the time sampled, the
//    share idle and in the garbage collector, and the functions and packages with the most self
//    time.
// 4. Reads from the services' databases how long each event of the run waited: in the producer's
//    outbox (its transaction's start → the relay's transaction that published it) and between the
//    relay and the consumer's transaction (Kafka, the consumer's fetch and the batches before it);
//    then the same stages along each of the run's own requests' critical path (criticalPath).
//
// var/ is not committed; the profiles stay in var/profile/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { localSecret } from '@hopthu/shared/local-env';
import { repoRoot } from '@hopthu/shared/testing';
import pg from 'pg';

const PROFILED = ['requests', 'directory', 'provisioner'] as const;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a function's code comes from: a package, Node itself, the service's own bundle, or V8's pseudo-frames. */
function origin(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return 'node';
  if (/services\/[^/]+\/dist\//.test(url)) return 'hopthu (the service and @hopthu/*)';
  return url;
}

export function summariseProfile(profile: CpuProfile, top = 12) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const totalUs = profile.endTime - profile.startTime;
  const fns = new Map<string, number>();
  const origins = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? `${url.replace(/^.*\/(node_modules|services)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = where ? `${name} ${where}` : name;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const o = origin(url, name);
    origins.set(o, (origins.get(o) ?? 0) + us);
  }
  const ms = (us: number) => Math.round(us / 1000);
  const share = (us: number) => Math.round((us / totalUs) * 1000) / 10;
  const ranked = (m: Map<string, number>, pseudo: boolean) =>
    [...m]
      .filter(([k]) => pseudo || !k.startsWith('('))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: ms(us), percent: share(us) }));
  return {
    sampledMs: ms(totalUs),
    idlePercent: share(fns.get('(idle)') ?? 0),
    gcPercent: share(fns.get('(garbage collector)') ?? 0),
    programPercent: share(fns.get('(program)') ?? 0),
    topFunctions: ranked(fns, false),
    byOrigin: ranked(origins, true),
  };
}

interface Hop {
  producer: string;
  consumer: string;
  consumerDb: string;
  topic: string;
}

/** The hops of a create request, each an outbox row of one database read by a consumer of another. */
const HOPS: Hop[] = [
  { producer: 'requests', topic: 'hopthu.requests.v1', consumerDb: 'directory', consumer: 'directory' },
  {
    producer: 'directory',
    topic: 'hopthu.provisioning.commands.v1',
    consumerDb: 'provisioner',
    consumer: 'provisioner',
  },
  {
    producer: 'provisioner',
    topic: 'hopthu.provisioning.results.v1',
    consumerDb: 'requests',
    consumer: 'requests-results',
  },
  {
    producer: 'provisioner',
    topic: 'hopthu.provisioning.results.v1',
    consumerDb: 'directory',
    consumer: 'directory-results',
  },
];

/** Per hop: how long the run's events waited in the outbox and between the relay and the consumer (ms, p50 / p90). */
export async function hopWaits(since: Date, until: Date) {
  const pools = new Map<string, pg.Pool>();
  const pool = (service: string) => {
    let p = pools.get(service);
    if (!p) {
      p = new pg.Pool({ connectionString: localSecret(`${service.toUpperCase()}_DATABASE_URL`), max: 1 });
      pools.set(service, p);
    }
    return p;
  };
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!) : null;
  };
  try {
    const out = [];
    for (const hop of HOPS) {
      const published = await pool(hop.producer).query<{ id: string; created: Date; published: Date }>(
        `SELECT id::text, created_at AS created, processed_at AS published FROM outbox
         WHERE topic = $1 AND created_at BETWEEN $2 AND $3 AND processed_at IS NOT NULL`,
        [hop.topic, since, until],
      );
      const consumed = await pool(hop.consumerDb).query<{ id: string; at: Date }>(
        'SELECT event_id AS id, processed_at AS at FROM inbox WHERE consumer = $1 AND event_id = ANY($2)',
        [hop.consumer, published.rows.map((r) => r.id)],
      );
      const at = new Map(consumed.rows.map((r) => [r.id, r.at.getTime()]));
      const inOutbox = published.rows.map((r) => r.published.getTime() - r.created.getTime());
      const inTransit = published.rows
        .filter((r) => at.has(r.id))
        .map((r) => at.get(r.id)! - r.published.getTime());
      out.push({
        hop: `${hop.producer} → ${hop.topic} → ${hop.consumer}`,
        events: published.rows.length,
        outboxMs: { p50: pct(inOutbox, 50), p90: pct(inOutbox, 90) },
        relayToConsumerMs: { p50: pct(inTransit, 50), p90: pct(inTransit, 90) },
      });
    }
    return out;
  } finally {
    await Promise.all([...pools.values()].map((p) => p.end()));
  }
}

/**
 * The stages of each of the run's requests along its critical path (the bench's requests, by
 * their reference `…/BENCH-…`), from the request's transaction to the requests service's
 * transaction that records the result: each producer's transaction plus its relay's pickup
 * (outbox `created_at` is the transaction's start, `processed_at` the relay's), then relay →
 * consumer's transaction (Kafka, the consumer's fetch and any batch before it). p50 / p90 in ms.
 */
export async function criticalPath(since: Date, until: Date) {
  const pools = new Map<string, pg.Pool>();
  const query = async <R extends pg.QueryResultRow>(service: string, text: string, values: unknown[]) => {
    let p = pools.get(service);
    if (!p) {
      p = new pg.Pool({ connectionString: localSecret(`${service.toUpperCase()}_DATABASE_URL`), max: 1 });
      pools.set(service, p);
    }
    return (await p.query<R>(text, values)).rows;
  };
  /** created: the producer's transaction start; woken: the post-commit signal (≈ its commit; null: the
   * relay found the row without one); published: the relay's transaction start; acked: the broker's ack. */
  type Published = {
    id: string;
    corr: string;
    created: Date;
    published: Date;
    woken: Date | null;
    acked: Date | null;
  };
  const published = (service: string, topic: string, corrs: string[]) =>
    query<Published>(
      service,
      `SELECT id::text, payload->>'correlationid' AS corr, created_at AS created, processed_at AS published, woken_at AS woken, published_at AS acked
       FROM outbox WHERE topic = $1 AND payload->>'correlationid' = ANY($2) AND processed_at IS NOT NULL`,
      [topic, corrs],
    );
  const consumed = async (service: string, consumer: string, ids: string[]) =>
    new Map(
      (
        await query<{ id: string; at: Date }>(
          service,
          'SELECT event_id AS id, processed_at AS at FROM inbox WHERE consumer = $1 AND event_id = ANY($2)',
          [consumer, ids],
        )
      ).map((r) => [r.id, r.at.getTime()]),
    );
  try {
    const submitted = await query<Published>(
      'requests',
      `SELECT id::text, payload->>'correlationid' AS corr, created_at AS created, processed_at AS published, woken_at AS woken, published_at AS acked
       FROM outbox WHERE topic = 'hopthu.requests.v1' AND payload->>'type' LIKE '%.request.submitted.%'
         AND payload->'data'->'reference'->>'number' LIKE '%/BENCH-%'
         AND created_at BETWEEN $1 AND $2 AND processed_at IS NOT NULL`,
      [since, until],
    );
    const corrs = submitted.map((r) => r.corr);
    const commands = new Map(
      (await published('directory', 'hopthu.provisioning.commands.v1', corrs)).map((r) => [r.corr, r]),
    );
    const results = new Map(
      (await published('provisioner', 'hopthu.provisioning.results.v1', corrs)).map((r) => [r.corr, r]),
    );
    // the requests service's result transaction writes request.finished (when the request ends)
    const finished = new Map(
      (
        await query<Published>(
          'requests',
          `SELECT id::text, payload->>'correlationid' AS corr, created_at AS created, processed_at AS published, woken_at AS woken, published_at AS acked
           FROM outbox WHERE payload->>'type' LIKE '%.request.finished.%' AND payload->>'correlationid' = ANY($1)
             AND processed_at IS NOT NULL`,
          [corrs],
        )
      ).map((r) => [r.corr, r]),
    );
    const atDirectory = await consumed(
      'directory',
      'directory',
      submitted.map((r) => r.id),
    );
    const atProvisioner = await consumed(
      'provisioner',
      'provisioner',
      [...commands.values()].map((r) => r.id),
    );
    const atRequests = await consumed(
      'requests',
      'requests-results',
      [...results.values()].map((r) => r.id),
    );
    const stages = new Map<string, number[]>();
    const add = (stage: string, ms: number) => stages.set(stage, [...(stages.get(stage) ?? []), ms]);
    /** One outbox stage split: the producing transaction, the wake-up, the relay's own transaction. */
    const outboxStages = (who: string, row: Published) => {
      const t = (x: Date) => x.getTime();
      if (row.woken) {
        add(`  ${who} transaction (start → commit signal)`, t(row.woken) - t(row.created));
        add(`  ${who} commit signal → relay transaction`, t(row.published) - t(row.woken));
      } else add(`  ${who} relay not woken by a commit (count)`, 1);
      if (row.acked) add(`  ${who} relay: lock, claim, produce + ack`, t(row.acked) - t(row.published));
    };
    for (const r of submitted) {
      const command = commands.get(r.corr);
      const result = results.get(r.corr);
      const d = atDirectory.get(r.id);
      const p = command && atProvisioner.get(command.id);
      const q = result && atRequests.get(result.id);
      if (!command || !result || d === undefined || p === undefined || q === undefined) continue;
      const t = (x: Date) => x.getTime();
      add('requests: transaction + relay pickup', t(r.published) - t(r.created));
      outboxStages('requests', r);
      add('→ directory (Kafka, consumer pickup)', d - t(r.published));
      if (r.acked) add('  ack → directory transaction (fetch, pickup)', d - t(r.acked));
      add('directory: transaction + relay pickup', t(command.published) - t(command.created));
      outboxStages('directory', command);
      add('→ provisioner', p - t(command.published));
      if (command.acked) add('  ack → provisioner transaction (fetch, pickup)', p - t(command.acked));
      add('provisioner: transaction + relay pickup', t(result.published) - t(result.created));
      outboxStages('provisioner', result);
      add('→ requests-results', q - t(result.published));
      if (result.acked) add('  ack → requests-results transaction (fetch, pickup)', q - t(result.acked));
      const end = finished.get(r.corr);
      if (end) {
        add('requests-results: transaction + relay pickup', t(end.published) - t(end.created));
        outboxStages('requests-results', end);
      }
      add('request transaction → result transaction', q - t(r.created));
    }
    const pct = (xs: number[], p: number) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
    };
    return [...stages].map(([stage, ms]) => ({
      stage,
      requests: ms.length,
      p50: pct(ms, 50),
      p90: pct(ms, 90),
    }));
  } finally {
    await Promise.all([...pools.values()].map((p) => p.end()));
  }
}

function hopthu(action: string, name: string, env: Record<string, string> = {}) {
  execFileSync(path.join(repoRoot, 'hopthu'), [action, name], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env },
  });
}

async function untilReady(ports: number[]) {
  const deadline = Date.now() + 90_000;
  for (const port of ports) {
    while (
      !(await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error(`:${port} not ready`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function main() {
  const requests = process.argv[2] ?? '40';
  const concurrency = process.argv[3] ?? '5';
  // benchSystem reads these when scripts/bench.ts is loaded
  process.env.BENCH_REQUESTS = requests;
  process.env.BENCH_CONCURRENCY = concurrency;
  const { benchAgencyClient, benchBaseline, benchSystem } = await import('./bench.ts');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(repoRoot, 'var/profile', stamp);
  mkdirSync(dir, { recursive: true });
  for (const s of PROFILED) {
    mkdirSync(path.join(dir, s));
    hopthu('restart', s, { HOPTHU_NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.join(dir, s)}` });
  }
  // another engineer's restart of the same service may overlap ours: wait until all three answer
  await untilReady([3001, 3002, 3003]);
  const client = await benchAgencyClient();
  const since = new Date();
  const run = await benchSystem(client);
  const until = new Date();
  // the irreducible durable steps of the same run, so the system's figures read as a ratio
  const baseline = await benchBaseline();
  for (const s of PROFILED) hopthu('restart', s);
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `202 → first IMAP login, ${requests} requests ${concurrency} at a time: ${JSON.stringify(run)}`,
  );
  console.log(`direct baseline, the same: ${JSON.stringify(baseline)}`);
  const ratio = (k: 'p50' | 'p99') => (run.latencyMs[k] / baseline.latencyMs[k]).toFixed(1);
  console.log(`system ÷ baseline: p50 ${ratio('p50')}×, p99 ${ratio('p99')}×`);
  for (const s of PROFILED) {
    for (const file of readdirSync(path.join(dir, s)).filter((f) => f.endsWith('.cpuprofile'))) {
      const profile = JSON.parse(readFileSync(path.join(dir, s, file), 'utf8')) as CpuProfile;
      console.log(`\n${s} (${path.relative(repoRoot, path.join(dir, s, file))})`);
      console.log(JSON.stringify(summariseProfile(profile), null, 1));
    }
  }
  console.log('\nwaiting per hop (outbox: producer transaction → relay; then relay → consumer transaction)');
  for (const hop of await hopWaits(since, until)) console.log(JSON.stringify(hop));
  console.log("\nthe critical path of each of the run's requests (ms)");
  for (const stage of await criticalPath(since, until)) console.log(JSON.stringify(stage));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main();
  process.exit(0);
}
