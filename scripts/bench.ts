// `./hopthu bench`: how fast a request becomes a mailbox a person can log in to, on this machine.
//
// 1. The system: a burst of create requests from an agency's client, each timed from its 202 to
//    the first successful IMAP login of the new mailbox (the request followed with the long-poll,
//    GET ?wait=30, then the credential fetched once), plus the sustained mailboxes per second over the burst.
// 2. A direct baseline on the same machine doing only the irreducible durable steps per mailbox:
//    store the request (one committed row), hash the password and write the `vmail` row, one IMAP
//    login. The ratio of the two is what the event-driven design costs.
// 3. Peak memory (VmHWM) of each service over the run; the services are restarted first so the
//    peak is the bench's own.
// 4. The provisioner alone: a burst of create commands on Kafka, applied per second, and the
//    latency of each command (services/provisioner/bench/apply-commands.ts).
// 5. The province-sized burst: BENCH_BURST persons (default 20,000) in 500-item requests, every
//    POST sent at once (open loop), each request polled to its end; mailboxes per second end to
//    end, each POST's latency, a 1% sample of credentials fetched and logged in over IMAP, and the
//    services' peak memory through it (`burstMemory`: VmHWM reset just before the burst, so it is
//    the burst's own and not the earlier parts'; the peak since the restart up to then is kept as
//    `memoryBeforeBurst`).
// 6. New IMAP logins per second on this box (BENCH_LOGINS fresh connections, default 3,000).
// 7. The same burst of BENCH_SCALE persons (default 2,000; 0 skips) with one instance of every
//    service, then with two (scripts/bench-instances.ts).
// 8. The import and reorganisation benches, and the two Kafka clients behind the bus adapter
//    (scripts/bench-kafka.ts, BENCH_KAFKA_MESSAGES, default 20,000).
// 9. The directory alone, in process on scratch databases (no Kafka, no running directory):
//    BENCH_DIRECTORY_ITEMS approved personal creates (default 5,000; 0 skips) in 500-item
//    requests, a fifth in Kiên Giang (namesakes by rank), applied per event and set-wise; items/s
//    of each and their ratio (services/directory/bench/apply-items.ts), as `directoryItems`.
// Results are printed and written to var/bench/latest.json (its fields are kept: new ones are
// added, none renamed); `targets` says which of issue 15's targets this run met.
//
// Environment: BENCH_REQUESTS (default 60), BENCH_CONCURRENCY (default 10),
// BENCH_PROVISIONER_COMMANDS (default 5000; 0 skips part 4), BENCH_BURST (default 20000; 0 skips
// part 5), BENCH_LOGINS (default 3000; 0 skips part 6), BENCH_DIRECTORY_ITEMS (default 5000; 0 skips
// part 9), BENCH_OUTPUT (default var/bench/latest.json).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createAgencyClient,
  type DemoClient,
  FINISHED_REQUEST_STATES,
  imapLoginWorks,
} from '@hopthu/shared/testing';
import pg from 'pg';
import { adminApiFromEnv, demoPassword, registerAgency, registerClient } from './lib/admin-api.ts';
import { resetPeakMemory } from './lib/service-memory.ts';
import { localSecret } from '@hopthu/shared/local-env';

const root = path.resolve(import.meta.dirname, '..');
const SERVICES = ['requests', 'directory', 'provisioner', 'notifier'];
const DOMAIN = 'bacninh.gov.vn';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const PROVISIONER_COMMANDS = Number(process.env.BENCH_PROVISIONER_COMMANDS ?? 5000);
const BURST = Number(process.env.BENCH_BURST ?? 20_000);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 3000);
const SCALE = Number(process.env.BENCH_SCALE ?? 2000);
const DIRECTORY_ITEMS = Number(process.env.BENCH_DIRECTORY_ITEMS ?? 5000);
const OUTPUT = path.resolve(root, process.env.BENCH_OUTPUT ?? 'var/bench/latest.json');
const REQUESTS_DB = localSecret('REQUESTS_DATABASE_URL');
const VMAIL_DB = localSecret('VMAIL_DATABASE_URL');

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

export async function benchAgencyClient(): Promise<DemoClient> {
  const api = adminApiFromEnv();
  const agency = await registerAgency(api, {
    province: 'bac-ninh',
    name: 'Ban Thử tải hệ thống',
    abbreviation: 'bench',
    unitType: 'agency',
  });
  return registerClient(api, { agencyId: agency.agencyId, abbreviation: 'bench' }, `bench-${runTag}`);
}

/**
 * The requests service learns a new agency from the directory topic: wait until it does, so the
 * first timed request is not refused (403) while that event is still on its way.
 */
export async function untilAgencyKnown(client: DemoClient): Promise<void> {
  const agency = createAgencyClient(client);
  const knownBy = Date.now() + 120_000;
  while (!(await agency.agencies().catch(() => [])).some((a) => a.id === client.agencyId)) {
    if (Date.now() > knownBy) throw new Error(`the requests service never learned agency ${client.agencyId}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function benchSystem(client: DemoClient): Promise<Run> {
  const agency = createAgencyClient(client);
  await agency.accessToken();
  await untilAgencyKnown(client);
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
      // the long-poll answers once the request has finished, as an agency should follow it
      const view = await agency.get(answer.body.id, { waitSeconds: 30 });
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

export interface BurstRun {
  persons: number;
  requests: number;
  itemsPerRequest: number;
  seconds: number;
  mailboxesPerSecond: number;
  completed: number;
  failed: number;
  postMs: { p50: number; max: number };
  sampleLogins: { tried: number; ok: number };
}

/**
 * The province-sized burst as an agency sends it: `persons` create items in requests of
 * `perRequest`, every POST sent at once (open loop: the next one does not wait for the last), then
 * each request polled until it finishes. Throughput is persons over first POST → last request
 * finished; a 1% sample of the credentials is fetched and logs in over IMAP.
 */
export async function benchBurst(
  client: DemoClient,
  persons: number,
  perRequest = 500,
  /** where the persons' generated names start, so two bursts never ask for the same person */
  firstName = 0x8000,
): Promise<BurstRun> {
  const agency = createAgencyClient(client);
  await agency.accessToken();
  const count = Math.ceil(persons / perRequest);
  const started = performance.now();
  const posted = await Promise.all(
    Array.from({ length: count }, async (_, r) => {
      const t0 = performance.now();
      const n = Math.min(perRequest, persons - r * perRequest);
      const answer = await agency.submit({
        requester: { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng' },
        reference: { number: `${r + 1}/BURST-${runTag}`, date: new Date().toISOString().slice(0, 10) },
        items: Array.from({ length: n }, (_, k) => ({
          operation: 'create',
          mailboxType: 'personal',
          person: {
            familyName: 'Phạm',
            middleName: 'Văn',
            givenName: givenName(firstName + r * perRequest + k),
            position: 'Chuyên viên',
          },
        })),
      });
      if (answer.status !== 202)
        throw new Error(`burst request ${r} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return { id: answer.body.id, postMs: performance.now() - t0 };
    }),
  );
  const views = await Promise.all(
    posted.map(async ({ id }) => {
      // a long-poll, as an agency following a bulk request should: reading 40 requests of 500
      // items whole every second kept the requests service's one thread busy (the first idle-machine
      // run: serialising views and parsing their rows took ~60% of its CPU, docs/performance.md)
      for (;;) {
        const view = await agency.get(id, { waitSeconds: 30 }).catch(() => null);
        if (view && FINISHED_REQUEST_STATES.includes(view.status)) return view;
        if (!view) await new Promise((r) => setTimeout(r, 1000));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const items = views.flatMap((v) => v.items);
  const completed = items.filter((i) => i.status === 'completed');
  const sample = completed.filter((_, i) => i % 100 === 0);
  let ok = 0;
  for (const item of sample) {
    if (!item.credentialUrl) continue;
    const credential = await agency.openCredential(item.credentialUrl);
    if ('password' in credential && (await imapLoginWorks(credential.address, credential.password))) ok++;
  }
  const post = posted.map((p) => p.postMs).sort((a, b) => a - b);
  return {
    persons,
    requests: count,
    itemsPerRequest: perRequest,
    seconds: Math.round(seconds * 100) / 100,
    mailboxesPerSecond: Math.round((completed.length / seconds) * 100) / 100,
    completed: completed.length,
    failed: items.length - completed.length,
    postMs: { p50: Math.round(percentile(post, 50)), max: Math.round(post.at(-1) ?? Number.NaN) },
    sampleLogins: { tried: sample.length, ok },
  };
}

export interface LoginRun {
  logins: number;
  concurrency: number;
  seconds: number;
  loginsPerSecond: number;
  failed: number;
  latencyMs: { p50: number; p99: number };
}

/** One IMAP session on a fresh connection: greeting, LOGIN, LOGOUT; true when LOGIN said OK. */
function imapLoginOnce(address: string, password: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: 1143 });
    let buffer = '';
    let step = 0;
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(30_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      if (step === 0 && buffer.includes('\r\n')) {
        step = 1;
        buffer = '';
        const quote = (v: string) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
        socket.write(`a LOGIN ${quote(address)} ${quote(password)}\r\n`);
      } else if (step === 1 && /^a (OK|NO|BAD)/m.test(buffer)) {
        const ok = /^a OK/m.test(buffer);
        step = 2;
        socket.end('b LOGOUT\r\n');
        done(ok);
      }
    });
  });
}

/**
 * New IMAP logins per second on this box: `mailboxes` rows written straight into vmail (hashed as
 * the system hashes generated passwords), then `logins` fresh connections, `concurrency` at a
 * time, each greeting → LOGIN → LOGOUT.
 */
export async function benchImapLogins(logins: number, concurrency = 20, mailboxes = 50): Promise<LoginRun> {
  const vmail = new pg.Pool({ connectionString: VMAIL_DB, max: 4 });
  const made: { address: string; password: string }[] = [];
  try {
    for (let i = 0; i < mailboxes; i++) {
      const local = `bench-login-${runTag}-${i}`;
      const address = `${local}@${DOMAIN}`;
      const password = demoPassword();
      await vmail.query(
        'INSERT INTO mailbox (username, domain, password, quota_bytes, maildir) VALUES ($1, $2, $3, $4, $5)',
        [address, DOMAIN, generatedPasswordHash(password), 1024 * 1024 * 1024, `${DOMAIN}/${local}/`],
      );
      made.push({ address, password });
    }
    // the first login of each creates its maildir: not what this measures
    await pool(made.length, concurrency, (i) => imapLoginOnce(made[i]!.address, made[i]!.password));
    const latencies: number[] = [];
    let failed = 0;
    const started = performance.now();
    await pool(logins, concurrency, async (i) => {
      const t0 = performance.now();
      const m = made[i % made.length]!;
      if (await imapLoginOnce(m.address, m.password)) latencies.push(performance.now() - t0);
      else failed++;
    });
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      logins,
      concurrency,
      seconds: Math.round(seconds * 100) / 100,
      loginsPerSecond: Math.round((latencies.length / seconds) * 10) / 10,
      failed,
      latencyMs: { p50: Math.round(percentile(latencies, 50)), p99: Math.round(percentile(latencies, 99)) },
    };
  } finally {
    if (made.length) {
      await vmail
        .query('DELETE FROM last_login WHERE username = ANY($1)', [made.map((m) => m.address)])
        .catch(() => {});
      await vmail.query('DELETE FROM mailbox WHERE username = ANY($1)', [made.map((m) => m.address)]);
    }
    await vmail.end();
  }
}

/** As services/requests hashes a generated password for Dovecot: {SSHA512} with a 16-byte salt. */
function generatedPasswordHash(password: string): string {
  const salt = randomBytes(16);
  const digest = createHash('sha512').update(password, 'utf8').update(salt).digest();
  return `{SSHA512}${Buffer.concat([digest, salt]).toString('base64')}`;
}

export async function benchBaseline(): Promise<Run> {
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
      const hash = generatedPasswordHash(password);
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

/** `peakSince`: 'burst' when the VmHWM was reset before the burst, 'start' otherwise (since the restart). */
type PeakMemory = { peakRssMiB: number; rssMiB: number; peakSince?: 'burst' | 'start' };
export function peakMemory(): Record<string, PeakMemory | null> {
  const out: Record<string, PeakMemory | null> = {};
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

async function benchDirectoryPart(): Promise<unknown> {
  if (DIRECTORY_ITEMS <= 0) return { skipped: 'BENCH_DIRECTORY_ITEMS=0' };
  const file = path.join(root, 'services/directory/bench/apply-items.ts');
  if (!existsSync(file)) return { skipped: 'services/directory/bench/apply-items.ts is not there' };
  const mod = (await import(pathToFileURL(file).href)) as {
    benchDirectoryItems(opts: { count: number; kienGiangShare?: number }): Promise<unknown>;
  };
  return mod.benchDirectoryItems({ count: DIRECTORY_ITEMS, kienGiangShare: 0.2 });
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
  let burst: BurstRun | { skipped: string } = { skipped: 'BENCH_BURST=0' };
  let burstMemory: ReturnType<typeof peakMemory> | null = null;
  let memoryBeforeBurst: ReturnType<typeof peakMemory> | null = null;
  if (BURST > 0) {
    console.log(`bench: a burst of ${BURST} persons in 500-item requests, all sent at once…`);
    // the peak through the burst alone: each VmHWM reset to the present RSS right before it
    memoryBeforeBurst = peakMemory();
    const reset = Object.fromEntries(SERVICES.map((s) => [s, resetPeakMemory(s)]));
    burst = await benchBurst(client, BURST, 500);
    burstMemory = peakMemory();
    for (const [s, m] of Object.entries(burstMemory)) if (m) m.peakSince = reset[s] ? 'burst' : 'start';
  }
  let imapLogins: LoginRun | { skipped: string } = { skipped: 'BENCH_LOGINS=0' };
  if (LOGINS > 0) {
    console.log(`bench: ${LOGINS} new IMAP logins…`);
    imapLogins = await benchImapLogins(LOGINS, 20);
  }

  let instances: unknown = { skipped: 'BENCH_SCALE=0' };
  if (SCALE > 0) {
    console.log(`bench: ${SCALE} persons with one instance of each service, then with two…`);
    instances = await (await import('./bench-instances.ts')).benchInstances(client, SCALE);
  }

  console.log(`bench: the directory alone, in process (${DIRECTORY_ITEMS} approved creates)…`);
  const directoryItems = await benchDirectoryPart();

  const peaks = Object.values(burstMemory ?? memory).map((m) => m?.peakRssMiB ?? Number.NaN);
  const result = {
    at: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
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
    burst,
    burstMemory,
    memoryBeforeBurst,
    imapLogins,
    reorganisation: await (await import('./bench-reorganisation.ts')).benchReorganisation(),
    import: await (await import('./bench-import.ts')).benchImport(),
    kafkaClients: await (await import('./bench-kafka.ts')).benchKafkaClients(),
    instances,
    directoryItems,
    targets: {
      latencyP50WithinOneAndAHalfBaseline: system.latencyMs.p50 <= 1.5 * baseline.latencyMs.p50,
      latencyP99Under600ms: system.latencyMs.p99 <= 600,
      throughputAtLeastHalfBaseline: system.mailboxesPerSecond >= 0.5 * baseline.mailboxesPerSecond,
      burstAtLeast200PerSecond: 'mailboxesPerSecond' in burst ? burst.mailboxesPerSecond >= 200 : null,
      burstPostUnder1s: 'postMs' in burst ? burst.postMs.max < 1000 : null,
      burstSampleLogsIn: 'sampleLogins' in burst ? burst.sampleLogins.ok === burst.sampleLogins.tried : null,
      imapLoginsAtLeast150PerSecond:
        'loginsPerSecond' in imapLogins ? imapLogins.loginsPerSecond >= 150 : null,
      everyServiceAtMost150MiB: peaks.every((p) => p <= 150),
    },
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
  console.log('\npeak memory (VmHWM, MiB)      after part 1   through the burst');
  for (const [s, m] of Object.entries(memory))
    console.log(
      `  ${s.padEnd(12)} ${String(m ? m.peakRssMiB : 'not running').padStart(15)} ${String(burstMemory?.[s]?.peakRssMiB ?? '-').padStart(17)}`,
    );
  console.log('\nprovisioner alone');
  console.log(`  ${JSON.stringify(provisioner)}`);
  console.log('\nburst (500-item requests, sent at once)');
  console.log(`  ${JSON.stringify(burst)}`);
  console.log('\nnew IMAP logins');
  console.log(`  ${JSON.stringify(imapLogins)}`);
  console.log('\none instance of each service against two (same burst)');
  console.log(`  ${JSON.stringify(instances)}`);
  console.log('\ndirectory alone, in process (per event against set-wise)');
  console.log(`  ${JSON.stringify(directoryItems)}`);
  console.log('\nKafka clients behind the bus adapter (scripts/bench-kafka.ts)');
  for (const r of result.kafkaClients) console.log(`  ${JSON.stringify(r)}`);
  console.log('\ntargets (issue 15)');
  for (const [k, v] of Object.entries(result.targets))
    console.log(`  ${k.padEnd(38)} ${v === null ? 'not run' : v ? 'met' : 'NOT met'}`);
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
