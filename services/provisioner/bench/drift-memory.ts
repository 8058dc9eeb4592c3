// The drift check's memory on a province-sized domain, on the running stack:
//
//   node services/provisioner/bench/drift-memory.ts [mailboxes]     (default 20,000)
//
// Writes a generated domain (driftbench.gov.vn) on both sides the check compares: `mailboxes` rows
// of the directory's published state in the provisioner's replica (directory_mailboxes, one in ten
// with an alias) and the same mailboxes in vmail, with about one in a hundred differing each way
// (missing, extra, suspended, another quota, an alias missing or extra). Then it calls
// GET /admin/drift?domain=driftbench.gov.vn on the running provisioner while it samples the
// provisioner's VmRSS every 20 ms, and prints the resident memory before, the highest during the
// call, the call's time and the report's counts. Everything it wrote is removed afterwards, also
// when it fails.
import os from 'node:os';
import { localSecret } from '@hopthu/shared/local-env';
import { adminFetch, serviceUrl } from '@hopthu/shared/test-services';
import pg from 'pg';
import { serviceMemory, watchMemory } from '../../../scripts/lib/service-memory.ts';

export const DRIFT_BENCH_DOMAIN = 'driftbench.gov.vn';

export interface DriftMemoryResult {
  mailboxes: number;
  seconds: number;
  rssBeforeMiB: number | null;
  rssPeakMiB: number | null;
  loadAverage: number[];
  counts: Record<string, number>;
  differences: number;
}

export async function seed(provisioner: pg.Client, vmail: pg.Client, n: number): Promise<void> {
  const d = DRIFT_BENCH_DOMAIN;
  // the directory's side: every i; one in ten lists an alias; i % 100 = 7 is suspended there
  await provisioner.query(
    `INSERT INTO directory_mailboxes (mailbox_id, address, domain, state, quota_bytes, generation, aliases, updated_at)
     SELECT 'driftbench-' || i, 'u' || lpad(i::text, 6, '0') || '@' || $1::text, $1::text,
            CASE WHEN i % 100 = 7 THEN 'suspended' ELSE 'active' END, 1073741824, 1,
            CASE WHEN i % 10 = 0 THEN jsonb_build_array('a' || lpad(i::text, 6, '0') || '@' || $1::text) ELSE '[]'::jsonb END,
            now()
       FROM generate_series(1, $2::int) AS i`,
    [d, n],
  );
  // the mail server's side: i % 100 = 3 missing, an extra one per hundred, i % 100 = 5 another quota
  await vmail.query('INSERT INTO domain (domain) VALUES ($1) ON CONFLICT DO NOTHING', [d]);
  await vmail.query(
    `INSERT INTO mailbox (username, domain, password, quota_bytes, active, maildir, generation)
     SELECT 'u' || lpad(i::text, 6, '0') || '@' || $1::text, $1::text, '{CRYPT}!driftbench',
            CASE WHEN i % 100 = 5 THEN 2147483648 ELSE 1073741824 END, true,
            $1::text || '/u' || lpad(i::text, 6, '0') || '/', 1
       FROM generate_series(1, $2::int) AS i WHERE i % 100 <> 3
     UNION ALL
     SELECT 'x' || lpad(i::text, 6, '0') || '@' || $1::text, $1::text, '{CRYPT}!driftbench', 0, true,
            $1::text || '/x' || lpad(i::text, 6, '0') || '/', 1
       FROM generate_series(1, $2::int, 100) AS i`,
    [d, n],
  );
  // aliases: every listed one but i % 1000 = 0 (missing), and an unlisted one per thousand (extra)
  await vmail.query(
    `INSERT INTO alias (address, goto, domain, active, generation)
     SELECT 'a' || lpad(i::text, 6, '0') || '@' || $1::text, 'u' || lpad(i::text, 6, '0') || '@' || $1::text, $1::text, true, 1
       FROM generate_series(10, $2::int, 10) AS i WHERE i % 1000 <> 0
     UNION ALL
     SELECT 'z' || lpad(i::text, 6, '0') || '@' || $1::text, 'u' || lpad(i::text, 6, '0') || '@' || $1::text, $1::text, true, 1
       FROM generate_series(1, $2::int, 1000) AS i`,
    [d, n],
  );
}

export async function cleanUp(provisioner: pg.Client, vmail: pg.Client): Promise<void> {
  await provisioner.query("DELETE FROM directory_mailboxes WHERE mailbox_id LIKE 'driftbench-%'");
  await vmail.query('DELETE FROM alias WHERE domain = $1', [DRIFT_BENCH_DOMAIN]);
  await vmail.query('DELETE FROM mailbox WHERE domain = $1', [DRIFT_BENCH_DOMAIN]);
  await vmail.query('DELETE FROM domain WHERE domain = $1', [DRIFT_BENCH_DOMAIN]);
}

export async function benchDriftMemory(opts: { mailboxes: number }): Promise<DriftMemoryResult> {
  const n = Math.max(100, Math.floor(opts.mailboxes));
  const provisioner = new pg.Client({ connectionString: localSecret('PROVISIONER_DATABASE_URL') });
  const vmail = new pg.Client({ connectionString: localSecret('VMAIL_DATABASE_URL') });
  await provisioner.connect();
  await vmail.connect();
  try {
    await cleanUp(provisioner, vmail); // what a run cut short left
    await seed(provisioner, vmail, n);
    const before = serviceMemory('provisioner');
    const stop = watchMemory(['provisioner'], 20);
    const started = performance.now();
    const answer = await adminFetch<{ counts: Record<string, number>; differences: unknown[] }>(
      serviceUrl('provisioner'),
      'GET',
      `/admin/drift?domain=${DRIFT_BENCH_DOMAIN}`,
    );
    const seconds = (performance.now() - started) / 1000;
    const peak = stop();
    if (answer.status !== 200) throw new Error(`GET /admin/drift answered ${answer.status}`);
    return {
      mailboxes: n,
      seconds: Math.round(seconds * 100) / 100,
      rssBeforeMiB: before?.rssMiB ?? null,
      rssPeakMiB: peak.provisioner ?? null,
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
      counts: answer.body.counts,
      differences: answer.body.differences.length,
    };
  } finally {
    await cleanUp(provisioner, vmail);
    await Promise.all([provisioner.end(), vmail.end()]);
  }
}

if (import.meta.main) {
  const result = await benchDriftMemory({ mailboxes: Number(process.argv[2] ?? 20_000) });
  console.log(JSON.stringify(result, null, 2));
}
