// ./hopthu reorganise <plan.json> [--apply --approved-by a,b] [--reason TEXT]
// Prints the dry run of a reorganisation plan (docs/reorganisation.md); with --apply, records the
// two approvals, applies it and shows its progress. The last line printed is one JSON object:
// { reorganisationId, mailboxesChanged, agenciesChanged, conflicts, applied, … }. Exit 0 when the
// dry run has no conflicts (or the apply finished), 1 otherwise, 2 for bad arguments.
import { readFileSync } from 'node:fs';
import { type AdminApi, adminApiFromEnv } from './lib/admin-api.ts';

export interface ReorganisationView {
  id: string;
  title: string;
  effectiveFrom: string;
  state: 'computed' | 'approved' | 'scheduled' | 'applying' | 'applied';
  /** A plan dated in the future: when the directory applies it. */
  scheduledFor?: string | null;
  mailboxesChanged: number;
  agenciesChanged: number;
  conflicts: {
    kind: string;
    ref?: string;
    address?: string;
    candidates?: string[];
    message: { vi: string; en: string };
  }[];
  perAgency: { agencyId: string; name: string; abbreviation: string; province: string; changed: number }[];
  domainMoves: { domain: string; fromProvince: string; intoProvince: string }[];
  approvals: { operator: string; reason: string; at: string }[];
  progress: { total: number; applied: number; startedAt: string | null; finishedAt: string | null };
  timings?: { snapshotMs: number; computeMs: number; storeMs: number };
}

interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
  progress?: (line: string) => void;
}

async function call<T>(
  api: AdminApi,
  method: string,
  path: string,
  body?: unknown,
  operator?: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${api.directoryUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${api.adminToken}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(operator ? { 'x-operator': operator } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function dryRun(api: AdminApi, plan: unknown, operator = 'cli'): Promise<ReorganisationView> {
  const res = await call<ReorganisationView & { detail?: string; errors?: unknown }>(
    api,
    'POST',
    '/admin/reorganisations',
    plan,
    operator,
  );
  if (res.status !== 200 && res.status !== 201) {
    throw new Error(`dry run refused (${res.status}): ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

export async function approve(
  api: AdminApi,
  id: string,
  operator: string,
  reason: string,
): Promise<ReorganisationView | null> {
  const res = await call<ReorganisationView>(api, 'POST', `/admin/reorganisations/${id}/approvals`, {
    operator,
    reason,
  });
  if (res.status === 200) return res.body;
  if (res.status === 409) return null; // already approved by this operator, or past approval
  throw new Error(`approval by ${operator} refused (${res.status}): ${JSON.stringify(res.body)}`);
}

export async function view(api: AdminApi, id: string): Promise<ReorganisationView> {
  return (await call<ReorganisationView>(api, 'GET', `/admin/reorganisations/${id}`)).body;
}

/**
 * Starts (or resumes) the apply and waits for it, reporting progress. A plan whose effective date
 * is still ahead comes back `scheduled`: the directory applies it on that date, nothing to wait for.
 */
export async function applyAndWait(
  api: AdminApi,
  id: string,
  onProgress: (v: ReorganisationView, rate: number) => void,
  timeoutMs = 30 * 60_000,
): Promise<ReorganisationView> {
  const res = await call<ReorganisationView>(api, 'POST', `/admin/reorganisations/${id}/apply`);
  if (res.status !== 200 && res.status !== 202)
    throw new Error(`apply refused (${res.status}): ${JSON.stringify(res.body)}`);
  const started = Date.now();
  const first = res.body.progress.applied;
  let current = res.body;
  while (current.state !== 'applied' && current.state !== 'scheduled') {
    if (Date.now() - started > timeoutMs) throw new Error('the apply did not finish in time');
    await new Promise((r) => setTimeout(r, 400));
    // the directory may be restarting (it resumes the apply by itself): keep asking
    const next = await view(api, id).catch(() => null);
    if (!next?.progress) continue;
    current = next;
    const seconds = (Date.now() - started) / 1000;
    onProgress(current, seconds > 0 ? (current.progress.applied - first) / seconds : 0);
    // a directory restarted mid-apply resumes by itself; asking again is harmless
    if (current.state === 'approved') await call(api, 'POST', `/admin/reorganisations/${id}/apply`);
  }
  return current;
}

export function printDryRun(v: ReorganisationView, out: (line: string) => void): void {
  out(`${v.title} — hiệu lực ${v.effectiveFrom} — ${v.id}`);
  out(
    `Hộp thư đổi địa chỉ / mailboxes re-addressed: ${v.mailboxesChanged}; cơ quan / agencies: ${v.agenciesChanged}`,
  );
  for (const m of v.domainMoves)
    out(`  tên miền ${m.domain}: ${m.fromProvince} → tên miền bí danh của ${m.intoProvince}`);
  if (v.perAgency.length > 0) {
    out('  cơ quan / agency                                    thay đổi / changes');
    for (const a of v.perAgency.slice(0, 40))
      out(
        `  ${`${a.province}/${a.abbreviation}`.padEnd(28)} ${a.name.slice(0, 36).padEnd(36)} ${String(a.changed).padStart(6)}`,
      );
    if (v.perAgency.length > 40) out(`  … ${v.perAgency.length - 40} more`);
  }
  for (const c of v.conflicts)
    out(`  XUNG ĐỘT / CONFLICT ${c.kind} ${c.ref ?? c.address ?? ''}: ${c.message.vi} / ${c.message.en}`);
}

export async function sampleChanges(api: AdminApi, id: string, limit = 15) {
  return (
    await call<{ items: { kind: string; from: string; to: string; displayName: string }[] }>(
      api,
      'GET',
      `/admin/reorganisations/${id}/changes?limit=${limit}`,
    )
  ).body.items;
}

export function resultLine(v: ReorganisationView, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    reorganisationId: v.id,
    mailboxesChanged: v.mailboxesChanged,
    agenciesChanged: v.agenciesChanged,
    conflicts: v.conflicts,
    applied: v.state === 'applied',
    state: v.state,
    ...extra,
  });
}

export async function runReorganiseCli(
  argv: string[],
  io: Output,
  api: AdminApi = adminApiFromEnv(),
): Promise<number> {
  let planFile: string | undefined;
  let apply = false;
  let approvers: string[] = [];
  let reason = 'Phê duyệt qua dòng lệnh / approved from the command line';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--apply') apply = true;
    else if (a === '--approved-by')
      approvers = (argv[++i] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (a.startsWith('--approved-by='))
      approvers = a
        .slice('--approved-by='.length)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (a === '--reason') reason = argv[++i] ?? reason;
    else if (!a.startsWith('--') && planFile === undefined) planFile = a;
    else {
      io.err(`unknown argument ${a}`);
      return 2;
    }
  }
  if (!planFile) {
    io.err('usage: ./hopthu reorganise <plan.json> [--apply --approved-by a,b] [--reason TEXT]');
    return 2;
  }
  if (apply && new Set(approvers).size < 2) {
    io.err('--apply needs two different operators: --approved-by a,b / cần hai cán bộ vận hành khác nhau');
    return 2;
  }
  let plan: unknown;
  try {
    plan = JSON.parse(readFileSync(planFile, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    io.err(`cannot read ${planFile}: ${(error as Error).message}`);
    return 2;
  }
  let v = await dryRun(api, plan, approvers[0] ?? 'cli');
  printDryRun(v, io.out);
  for (const c of await sampleChanges(api, v.id))
    io.out(`  ${c.kind.padEnd(9)} ${c.from} → ${c.to}  ${c.displayName}`);
  if (!apply || v.conflicts.length > 0) {
    io.out(resultLine(v));
    return v.conflicts.length > 0 ? 1 : 0;
  }
  if (v.state === 'computed') {
    for (const operator of [...new Set(approvers)]) await approve(api, v.id, operator, reason);
    v = await view(api, v.id);
  }
  const started = Date.now();
  v = await applyAndWait(api, v.id, (p, rate) => {
    const left = rate > 0 ? Math.round((p.progress.total - p.progress.applied) / rate) : '?';
    (io.progress ?? io.err)(
      `áp dụng / applying ${p.progress.applied}/${p.progress.total} · ${rate.toFixed(0)}/s · còn ~${left}s`,
    );
  });
  const seconds = (Date.now() - started) / 1000;
  if (v.state === 'scheduled') {
    io.err(
      `Đã hẹn: danh bạ tự thực hiện lúc ${v.scheduledFor} (ngày hiệu lực ${v.effectiveFrom}) / scheduled: the directory applies it then`,
    );
    io.out(resultLine(v, { approvedBy: v.approvals.map((a) => a.operator), scheduledFor: v.scheduledFor }));
    return 0;
  }
  io.out(
    resultLine(v, { approvedBy: v.approvals.map((a) => a.operator), seconds: Math.round(seconds * 10) / 10 }),
  );
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const code = await runReorganiseCli(process.argv.slice(2), {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    progress: (l) => process.stderr.write(process.stderr.isTTY ? `\r${l}   ` : `${l}\n`),
  }).catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    // scripts read the last line: even a failure ends with one JSON object
    process.stdout.write(
      `${JSON.stringify({ mailboxesChanged: 0, agenciesChanged: 0, conflicts: [], applied: false, error: error.message })}\n`,
    );
    return 1;
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  process.exit(code);
}
