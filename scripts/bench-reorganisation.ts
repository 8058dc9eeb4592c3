// The reorganisation part of the bench (issue 12): a generated pre-merger Bắc Giang of N mailboxes
// (default 20,000, BENCH_REORGANISATION_MAILBOXES) re-addressed by one plan, the merger into Bắc
// Ninh: dry-run time (target < 15 s), apply rate (target ≥ 200 mailboxes/s) and the directory's
// memory while it computes and applies. Called from scripts/bench.ts (key `reorganisation` of
// var/bench/latest.json); run alone with `node scripts/bench-reorganisation.ts [N]`.
import bcrypt from 'bcryptjs';
import { adminApiFromEnv } from './lib/admin-api.ts';
import { applyAndWait, approve, dryRun } from './reorganise.ts';
import { bacGiangMergerPlan, bacGiangUnits, seedProvince } from './reorganise-seed.ts';
import { watchMemory } from './lib/service-memory.ts';

const letters = () =>
  Array.from({ length: 4 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');

export async function benchReorganisation(
  options: { mailboxes?: number; log?: (line: string) => void } = {},
): Promise<Record<string, unknown>> {
  const n = options.mailboxes ?? Number(process.env.BENCH_REORGANISATION_MAILBOXES ?? 20_000);
  const log = options.log ?? ((line: string) => console.log(line));
  const api = adminApiFromEnv();
  // BENCH_REORGANISATION_TAG: the tag of a province an earlier run seeded and did not get to
  // merge (the directory restarted under it): its dry run and apply are measured without seeding
  const reuse = process.env.BENCH_REORGANISATION_TAG;
  const tag = reuse || letters();
  const departments = Math.max(0, Math.ceil(n / 60) - 5);
  const units = bacGiangUnits({ tag, extraDepartments: departments, districts: 2, communesPerDistrict: 5 });
  const seedStarted = Date.now();
  if (reuse) {
    log(`bench: reorganisation — reusing the Bắc Giang seeded with tag ${tag}`);
  } else {
    log(`bench: reorganisation — seeding ${n} Bắc Giang mailboxes in ${units.length} units (tag ${tag})…`);
    await seedProvince(api, {
      province: 'bac-giang',
      units,
      people: n,
      passwordHash: `{BLF-CRYPT}${await bcrypt.hash(`Bench${tag}#1`, 4)}`,
      timeoutMs: Math.max(600_000, n * 100),
      log: (l) => (l.includes('active') ? undefined : log(l)),
    });
  }
  const seedSeconds = (Date.now() - seedStarted) / 1000;

  const plan = bacGiangMergerPlan({ tag, title: `Bench: sáp nhập Bắc Giang vào Bắc Ninh (${tag})` });
  log('bench: reorganisation — dry run…');
  const dryMemory = watchMemory(['directory'], 200);
  const dryStarted = performance.now();
  const computed = await dryRun(api, plan, 'bench');
  const dryRunSeconds = (performance.now() - dryStarted) / 1000;
  const dryRunPeakRssMiB = dryMemory().directory;
  if (computed.conflicts.length > 0)
    throw new Error(`the bench plan has conflicts: ${JSON.stringify(computed.conflicts.slice(0, 3))}`);
  await approve(api, computed.id, 'bench.mot', 'bench');
  await approve(api, computed.id, 'bench.hai', 'bench');
  log(`bench: reorganisation — applying ${computed.progress.total} changes…`);
  const applyMemory = watchMemory(['directory'], 200);
  const applyStarted = performance.now();
  const applied = await applyAndWait(api, computed.id, () => {}, Math.max(30 * 60_000, n * 60));
  const applySeconds = (performance.now() - applyStarted) / 1000;
  const applyPeakRssMiB = applyMemory().directory;
  const rate = applied.progress.total / applySeconds;
  const result = {
    mailboxes: n,
    units: units.length,
    seedSeconds: Math.round(seedSeconds * 10) / 10,
    mailboxesChanged: computed.mailboxesChanged,
    changes: computed.progress.total,
    dryRunSeconds: Math.round(dryRunSeconds * 100) / 100,
    dryRunTimingsMs: computed.timings ?? null,
    applySeconds: Math.round(applySeconds * 10) / 10,
    applyMailboxesPerSecond: Math.round(rate),
    directoryPeakRssMiB: { dryRun: dryRunPeakRssMiB, apply: applyPeakRssMiB },
    benchProcessRssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    targets: { dryRunSeconds: 15, applyMailboxesPerSecond: 200 },
    met: { dryRun: dryRunSeconds < 15, apply: rate >= 200 },
  };
  log(
    `bench: reorganisation — ${n} mailboxes: dry run ${result.dryRunSeconds} s, apply ${result.applySeconds} s (${result.applyMailboxesPerSecond}/s), directory peak ${applyPeakRssMiB} MiB`,
  );
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  const result = await benchReorganisation(n ? { mailboxes: n } : {});
  console.log(JSON.stringify(result));
  process.exit(0);
}
