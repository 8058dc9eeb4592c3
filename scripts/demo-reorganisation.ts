// ./hopthu demo reorganisation: the 2025 merger of Bắc Giang into Bắc Ninh, end to end, on the
// running stack. Seeds a small Bắc Giang (its pre-merger rule: scripts/demo/provinces/bac-giang.json;
// five departments, two districts with communes, a few hundred generated mailboxes), then runs the
// plan as an operator would: dry run, two approvals (the demo's operators canbo.an and canbo.binh),
// apply with progress. The last line is the apply's JSON. Run again, it finds Bắc Giang merged,
// seeds nothing and applies the same plan again, which changes nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@hopthu/shared/testing';
import bcrypt from 'bcryptjs';
import { adminApiFromEnv, demoPassword } from './lib/admin-api.ts';
import { runReorganiseCli } from './reorganise.ts';
import { bacGiangMergerPlan, bacGiangUnits, seedProvince } from './reorganise-seed.ts';

const api = adminApiFromEnv();
const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);
const people = Number(process.env.DEMO_MAILBOXES ?? 300);

const domains = (await (
  await fetch(`${api.directoryUrl}/admin/provinces/bac-giang/domains`, {
    headers: { authorization: `Bearer ${api.adminToken}` },
  })
).json()) as { primaryDomain: string | null; detail?: string };
if (domains.detail) {
  err(
    `the directory does not know Bắc Giang (${domains.detail}): is PROVINCE_POLICY_DIR set? (./hopthu restart directory)`,
  );
  process.exit(1);
}
const demoDir = path.join(repoRoot, 'var', 'demo');
mkdirSync(demoDir, { recursive: true });
if (domains.primaryDomain) {
  out(`1. Bắc Giang trước sáp nhập / before the merger: ${people} hộp thư cá nhân, 5 sở, 2 huyện có xã`);
  const password = demoPassword();
  const passwordHash = `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`;
  const seeded = await seedProvince(api, {
    province: 'bac-giang',
    units: bacGiangUnits({ communesPerDistrict: 3 }),
    people,
    passwordHash,
    log: out,
  });
  writeFileSync(
    path.join(demoDir, 'bac-giang.json'),
    `${JSON.stringify({ password, agencies: Object.fromEntries(seeded.agencies) }, null, 2)}\n`,
    { mode: 0o600 },
  );
  out(`   mật khẩu của mọi hộp thư Bắc Giang / every Bắc Giang mailbox's password: var/demo/bac-giang.json`);
} else {
  out('1. Bắc Giang đã sáp nhập vào Bắc Ninh / already merged: nothing to seed, the plan runs again');
}
const planFile = path.join(demoDir, 'bac-giang-merger.json');
writeFileSync(planFile, `${JSON.stringify(bacGiangMergerPlan(), null, 2)}\n`);
out(`2. Kế hoạch / the plan: ${path.relative(repoRoot, planFile)} (docs/reorganisation.md)`);
out('3. Chạy thử, hai cán bộ phê duyệt, áp dụng / dry run, two approvals, apply:');
const code = await runReorganiseCli(
  [
    planFile,
    '--apply',
    '--approved-by',
    'canbo.an,canbo.binh',
    '--reason',
    'Demo: sáp nhập theo NQ 202/2025/QH15',
  ],
  {
    out,
    err,
    progress: (l) => err(l),
  },
);
process.exit(code);
