// Import bench (issue 11 §4): a generated province (600 agencies, 20,000 mailboxes, 5% legacy
// addresses, a 1% sample with known old passwords) planned and applied through the directory's
// /admin/imports on the running stack, as ./hopthu import does. Measures plan time, apply time
// (POST → every mailbox confirmed by the mail server) and mailboxes per second, the directory's
// and provisioner's peak memory while it runs, and logs the sample in over IMAP with their old
// passwords. Called by scripts/bench.ts (key `import`); alone:
//   node scripts/bench-import.ts [mailboxes] [agencies]
import { localSecret } from '@hopthu/shared/local-env';
import { createSqlPool, imapLoginWorks } from '@hopthu/shared/testing';
import { generateProvince } from './import-generate.ts';
import { watchMemory } from './lib/service-memory.ts';

const PROVINCE = 'bac-ninh';
const DOMAIN = 'bacninh.gov.vn';

export interface ImportBenchResult {
  province: string;
  agencies: number;
  mailboxes: number;
  legacy: number;
  generateSeconds: number;
  planSeconds: number;
  planConflicts: number;
  applySeconds: number;
  mailboxesPerSecond: number;
  /** Peak resident memory while the import ran (sampled every 250 ms), MiB. */
  peakRssMiB: Record<string, number | null>;
  sampleLogins: { tried: number; succeeded: number };
  failed: number;
}

/** Another engineer's restart of the directory is waited out (up to a minute), not a failure. */
async function call(method: 'GET' | 'POST', url: string, body?: unknown) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await callOnce(method, url, body);
    } catch (error) {
      if (attempt >= 120) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function callOnce(method: 'GET' | 'POST', url: string, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${localSecret('ADMIN_TOKEN')}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function benchImport(
  options: {
    mailboxes?: number;
    agencies?: number;
    directoryUrl?: string;
    log?: (line: string) => void;
  } = {},
): Promise<ImportBenchResult> {
  const mailboxes = options.mailboxes ?? Number(process.env.BENCH_IMPORT_MAILBOXES ?? 20_000);
  const agencies = options.agencies ?? Number(process.env.BENCH_IMPORT_AGENCIES ?? 600);
  const base = options.directoryUrl ?? process.env.DIRECTORY_URL ?? 'http://127.0.0.1:3002';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  // what the directory already holds, so a bench run on a used stack makes no conflict
  const db = createSqlPool(localSecret('DIRECTORY_DATABASE_URL'));
  db.on('error', () => {});
  const { rows } = await db.query<{ local_part: string }>(
    `WITH d AS (SELECT $1::text AS domain UNION SELECT domain FROM province_domains WHERE province = 'bac-ninh')
     SELECT local_part FROM mailboxes WHERE domain IN (SELECT domain FROM d)
     UNION SELECT local_part FROM aliases WHERE domain IN (SELECT domain FROM d)
     UNION SELECT local_part FROM reserved_addresses WHERE domain IN (SELECT domain FROM d)
     UNION SELECT local_part FROM retired_addresses WHERE domain IN (SELECT domain FROM d)`,
    [DOMAIN],
  );
  await db.end();
  const taken = new Set(rows.map((r) => r.local_part));

  const tag = `b${Date.now().toString(36).slice(-5)}`;
  let t = performance.now();
  const province = generateProvince({
    province: PROVINCE,
    agencies,
    mailboxes,
    tag,
    seed: 2026,
    isTaken: (l) => taken.has(l),
  });
  const generateSeconds = (performance.now() - t) / 1000;
  const files = { province: PROVINCE, agencies: province.agenciesCsv, mailboxes: province.mailboxesCsv };
  log(
    `import bench: ${province.agencies} agencies, ${province.mailboxes} mailboxes (${province.legacy} legacy), tag ${tag}`,
  );

  t = performance.now();
  const plan = await call('POST', `${base}/admin/imports`, { ...files, apply: false });
  const planSeconds = (performance.now() - t) / 1000;
  const conflicts = (plan.body.conflicts as unknown[] | undefined)?.length ?? -1;
  log(`  plan: ${planSeconds.toFixed(2)} s, ${conflicts} conflicts`);
  if (plan.status !== 200 || conflicts !== 0)
    throw new Error(`import bench: plan refused: ${JSON.stringify(plan.body).slice(0, 500)}`);

  const memory = watchMemory(['directory', 'provisioner']);
  let peak: Record<string, number | null> = {};
  t = performance.now();
  let progress: Record<string, unknown> = {};
  try {
    const started = await call('POST', `${base}/admin/imports`, { ...files, apply: true });
    if (started.status !== 202)
      throw new Error(`import bench: apply refused: ${JSON.stringify(started.body).slice(0, 500)}`);
    let lastLog = 0;
    for (;;) {
      const { status, body } = await call('GET', `${base}/admin/imports/${started.body.jobId}`);
      if (status === 200) {
        progress = body;
        if (body.state === 'failed') throw new Error(`import bench: apply failed: ${body.error}`);
        if (body.finished) break;
      }
      if (performance.now() - lastLog > 5000) {
        lastLog = performance.now();
        log(
          `  apply: ${progress.mailboxesWritten} written, ${progress.mailboxesConfirmed} confirmed, ${((performance.now() - t) / 1000).toFixed(0)} s`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    peak = memory();
  }
  const applySeconds = (performance.now() - t) / 1000;
  const mailboxesPerSecond = Math.round((province.mailboxes / applySeconds) * 10) / 10;
  log(`  apply: ${applySeconds.toFixed(1)} s, ${mailboxesPerSecond} mailboxes/s`);

  let succeeded = 0;
  for (const sample of province.samples)
    if (await imapLoginWorks(sample.address, sample.password)) succeeded++;
  log(`  sample logins with the old password: ${succeeded}/${province.samples.length}`);
  return {
    province: PROVINCE,
    agencies: province.agencies,
    mailboxes: province.mailboxes,
    legacy: province.legacy,
    generateSeconds: Math.round(generateSeconds * 100) / 100,
    planSeconds: Math.round(planSeconds * 100) / 100,
    planConflicts: conflicts,
    applySeconds: Math.round(applySeconds * 100) / 100,
    mailboxesPerSecond,
    peakRssMiB: peak,
    sampleLogins: { tried: province.samples.length, succeeded },
    failed: Number(progress.mailboxesFailed ?? 0),
  };
}

if (import.meta.main) {
  const result = await benchImport({
    mailboxes: Number(process.argv[2] ?? 20_000),
    agencies: Number(process.argv[3] ?? 600),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
