// `./hopthu bench`: how fast a request becomes a mailbox a person can log in to, on this machine.
//
// 1. The system: a burst of create requests from an agency's client, each timed from its 202 to
//    the first successful IMAP login of the new mailbox (the credential fetched once on the way),
//    plus the sustained mailboxes per second over the burst.
// 2. A direct baseline on the same machine doing only the irreducible durable steps per mailbox:
//    store the request (one committed row), hash the password and write the `vmail` row, one IMAP
//    login. The ratio of the two is what the event-driven design costs.
// 3. Peak memory (VmHWM) of each service over the run; the services are restarted first so the
//    peak is the bench's own.
// 4. The provisioner alone: a burst of create commands on Kafka, applied per second, and the
//    latency of each command (services/provisioner/bench/apply-commands.ts).
// Results are printed and written to var/bench/latest.json.
//
// Environment: BENCH_REQUESTS (default 60), BENCH_CONCURRENCY (default 10),
// BENCH_PROVISIONER_COMMANDS (default 5000; 0 skips part 4), BENCH_OUTPUT (default var/bench/latest.json).
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAgencyClient, imapLoginWorks, type DemoClient } from '@hopthu/shared/testing';
import bcrypt from 'bcryptjs';
import pg from 'pg';
import { adminApiFromEnv, demoPassword, registerAgency, registerClient } from './lib/admin-api.ts';

const root = path.resolve(import.meta.dirname, '..');
const SERVICES = ['requests', 'directory', 'provisioner', 'notifier'];
const DOMAIN = 'bacninh.gov.vn';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const PROVISIONER_COMMANDS = Number(process.env.BENCH_PROVISIONER_COMMANDS ?? 5000);
const OUTPUT = path.resolve(root, process.env.BENCH_OUTPUT ?? 'var/bench/latest.json');
const REQUESTS_DB =
  process.env.REQUESTS_DATABASE_URL ?? 'postgres://hopthu:hopthu@127.0.0.1:5432/hopthu_requests';
const VMAIL_DB = process.env.VMAIL_DATABASE_URL ?? 'postgres://vmail_admin:adminpw@127.0.0.1:5432/vmail';

interface Run {
  mailboxes: number;
  concurrency: number;
  seconds: number;
  mailboxesPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function summarise(latencies: number[], seconds: number, concurrency: number): Run {
  const sorted = [...latencies].sort((a, b) => a - b);
  const r = (n: number) => Math.round(n);
  return {
    mailboxes: latencies.length,
    concurrency,
    seconds: Math.round(seconds * 100) / 100,
    mailboxesPerSecond: Math.round((latencies.length / seconds) * 100) / 100,
    latencyMs: {
      p50: r(percentile(sorted, 50)),
      p95: r(percentile(sorted, 95)),
      p99: r(percentile(sorted, 99)),
      max: r(sorted.at(-1) ?? Number.NaN),
    },
  };
}

/** Runs `work(i)` for i in [0, n) with at most `limit` at once. */
async function pool<T>(n: number, limit: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await work(i);
      }
    }),
  );
  return out;
}

async function untilLogin(address: string, password: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await imapLoginWorks(address, password))) {
    if (Date.now() > deadline) throw new Error(`no IMAP login for ${address} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const runTag = randomUUID().replaceAll('-', '').slice(0, 8);
/** Given names unique to this run, so the addresses are plain and the runs never collide. */
function givenName(i: number): string {
  const letters = 'bcdghklmnpqrstvx';
  const tag = [...`${runTag}${i.toString(16).padStart(4, '0')}`]
    .map((c) => letters[Number.parseInt(c, 16)])
    .join('');
  return `Tai${tag}`;
}

async function benchAgencyClient(): Promise<DemoClient> {
  const api = adminApiFromEnv();
  const agency = await registerAgency(api, {
    province: 'bac-ninh',
    name: 'Ban Thử tải hệ thống',
    abbreviation: 'bench',
    unitType: 'agency',
  });
  return registerClient(api, { agencyId: agency.agencyId, abbreviation: 'bench' }, `bench-${runTag}`);
}

async function benchSystem(client: DemoClient): Promise<Run> {
  const agency = createAgencyClient(client);
  await agency.accessToken();
  const started = performance.now();
  const latencies = await pool(REQUESTS, CONCURRENCY, async (i) => {
    const answer = await agency.submit({
      requester: { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng' },
      reference: { number: `${i + 1}/BENCH-${runTag}`, date: new Date().toISOString().slice(0, 10) },
      items: [
        {
          operation: 'create',
          mailboxType: 'personal',
          person: { familyName: 'Phạm', middleName: 'Văn', givenName: givenName(i), position: 'Chuyên viên' },
        },
      ],
    });
    const accepted = performance.now();
    if (answer.status !== 202)
      throw new Error(`request ${i} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    let item = answer.body.items[0];
    while (!item?.credentialUrl) {
      await new Promise((r) => setTimeout(r, 100));
      const view = await agency.get(answer.body.id);
      item = view.items[0];
      if (view.status === 'failed' || view.status === 'rejected') {
        throw new Error(`request ${answer.body.id} ended ${view.status}: ${JSON.stringify(view.items)}`);
      }
    }
    const credential = await agency.openCredential(item.credentialUrl);
    if (!('password' in credential)) throw new Error(`credential refused: ${credential.status}`);
    await untilLogin(credential.address, credential.password);
    return performance.now() - accepted;
  });
  return summarise(latencies, (performance.now() - started) / 1000, CONCURRENCY);
}

async function benchBaseline(): Promise<Run> {
  const requests = new pg.Pool({ connectionString: REQUESTS_DB, max: CONCURRENCY });
  const vmail = new pg.Pool({ connectionString: VMAIL_DB, max: CONCURRENCY });
  const made: string[] = [];
  try {
    await requests.query('CREATE SCHEMA IF NOT EXISTS bench');
    await requests.query(
      'CREATE TABLE IF NOT EXISTS bench.baseline_request (id uuid PRIMARY KEY, body jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())',
    );
    const started = performance.now();
    const latencies = await pool(REQUESTS, CONCURRENCY, async (i) => {
      const t0 = performance.now();
      const local = `bench-baseline-${runTag}-${i}`;
      const address = `${local}@${DOMAIN}`;
      const body = {
        operation: 'create',
        person: { familyName: 'Phạm', middleName: 'Văn', givenName: givenName(i) },
      };
      await requests.query('INSERT INTO bench.baseline_request (id, body) VALUES ($1, $2)', [
        randomUUID(),
        body,
      ]);
      const password = demoPassword();
      const hash = `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`;
      await vmail.query(
        'INSERT INTO mailbox (username, domain, password, quota_bytes, maildir) VALUES ($1, $2, $3, $4, $5)',
        [address, DOMAIN, hash, 1024 * 1024 * 1024, `${DOMAIN}/${local}/`],
      );
      made.push(address);
      await untilLogin(address, password);
      return performance.now() - t0;
    });
    return summarise(latencies, (performance.now() - started) / 1000, CONCURRENCY);
  } finally {
    if (made.length) await vmail.query('DELETE FROM mailbox WHERE username = ANY($1)', [made]);
    await requests.query('DROP SCHEMA IF EXISTS bench CASCADE');
    await Promise.all([requests.end(), vmail.end()]);
  }
}

function peakMemory(): Record<string, { peakRssMiB: number; rssMiB: number } | null> {
  const out: Record<string, { peakRssMiB: number; rssMiB: number } | null> = {};
  for (const s of SERVICES) {
    try {
      const pid = readFileSync(path.join(root, 'var/run', `${s}.pid`), 'utf8').trim();
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kib = (key: string) =>
        Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
      out[s] = { peakRssMiB: Math.round(kib('VmHWM') / 1024), rssMiB: Math.round(kib('VmRSS') / 1024) };
    } catch {
      out[s] = null;
    }
  }
  return out;
}

async function benchProvisionerPart(): Promise<unknown> {
  if (PROVISIONER_COMMANDS <= 0) return { skipped: 'BENCH_PROVISIONER_COMMANDS=0' };
  const file = path.join(root, 'services/provisioner/bench/apply-commands.ts');
  if (!existsSync(file)) return { skipped: 'services/provisioner/bench/apply-commands.ts is not there' };
  const mod = (await import(pathToFileURL(file).href)) as {
    benchProvisioner(opts: { count: number }): Promise<unknown>;
  };
  return mod.benchProvisioner({ count: PROVISIONER_COMMANDS });
}

async function main() {
  const client = await benchAgencyClient();
  console.log(`bench: ${REQUESTS} create requests, ${CONCURRENCY} at a time, through the whole system…`);
  const system = await benchSystem(client);
  console.log('bench: the direct baseline…');
  const baseline = await benchBaseline();
  const memory = peakMemory();
  console.log(`bench: the provisioner alone (${PROVISIONER_COMMANDS} create commands)…`);
  const provisioner = await benchProvisionerPart();

  const result = {
    at: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    system,
    baseline,
    ratio: {
      latencyP50: Math.round((system.latencyMs.p50 / baseline.latencyMs.p50) * 100) / 100,
      latencyP99: Math.round((system.latencyMs.p99 / baseline.latencyMs.p99) * 100) / 100,
      throughput: Math.round((baseline.mailboxesPerSecond / system.mailboxesPerSecond) * 100) / 100,
    },
    memory,
    provisioner,
    reorganisation: await (await import('./bench-reorganisation.ts')).benchReorganisation(),
    import: await (await import('./bench-import.ts')).benchImport(),
  };
  mkdirSync(path.dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, `${JSON.stringify(result, null, 2)}\n`);

  const row = (name: string, r: Run) =>
    `  ${name.padEnd(9)} ${String(r.latencyMs.p50).padStart(7)} ${String(r.latencyMs.p95).padStart(7)} ${String(r.latencyMs.p99).padStart(7)} ${String(r.mailboxesPerSecond).padStart(12)}`;
  console.log('\n202 → first IMAP login (ms)     p50     p95     p99  mailboxes/s');
  console.log(row('system', system));
  console.log(row('baseline', baseline));
  console.log(
    `  ratio     ${String(result.ratio.latencyP50).padStart(7)}x        ${String(result.ratio.latencyP99).padStart(7)}x ${String(result.ratio.throughput).padStart(11)}x`,
  );
  console.log('\npeak memory (VmHWM, MiB)');
  for (const [s, m] of Object.entries(memory))
    console.log(`  ${s.padEnd(12)} ${m ? m.peakRssMiB : 'not running'}`);
  console.log('\nprovisioner alone');
  console.log(`  ${JSON.stringify(provisioner)}`);
  console.log(`\nwritten to ${path.relative(root, OUTPUT)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(
      String(err?.stack ?? err),
      err?.cause ? `\ncause: ${String(err.cause?.stack ?? err.cause)}` : '',
    );
    process.exit(1);
  });
}
