// ./hopthu import: a province's existing mail system into hopthu through the directory's admin API.
//   ./hopthu import --province <id> --agencies <agencies.csv> --mailboxes <mailboxes.csv|zmprov|ldif> [--apply]
// Without --apply it plans only (nothing is written). With it, the plan must have no conflicts; the
// apply then runs in the directory and this follows it with a progress bar on stderr (count, rate,
// time left; one line per few seconds when stderr is not a terminal). Ctrl-C stops following, not
// the apply; running the same command again follows (or finishes) the same job. The last line on
// stdout is one JSON object: agencies, mailboxes, legacy, conflicts [{file, line, field, message}],
// applied. Exit 0 when the plan has no conflicts or the apply finished, 1 otherwise, 2 for usage.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { localSecret } from '@hopthu/shared/local-env';
import { createProgress } from './import-progress.ts';

interface Summary {
  jobId: string | null;
  agencies: number;
  mailboxes: number;
  legacy: number;
  alreadyImported: number;
  withoutPassword: number;
  format: string;
  conflicts: { file: string; line: number; field: string; message: string }[];
}

interface Progress {
  state: 'applying' | 'applied' | 'failed';
  mailboxes: number;
  mailboxesWritten: number;
  mailboxesConfirmed: number;
  mailboxesFailed: number;
  finished: boolean;
  error: string | null;
}

const USAGE =
  'usage: ./hopthu import --province <id> --agencies <agencies.csv> --mailboxes <mailboxes.csv> [--format csv|zmprov|ldif] [--apply]';

function finish(result: Record<string, unknown>, code: number): never {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(code);
}

let args: ReturnType<typeof parseOptions>;
function parseOptions() {
  return parseArgs({
    options: {
      province: { type: 'string' },
      agencies: { type: 'string' },
      mailboxes: { type: 'string' },
      format: { type: 'string', default: 'auto' },
      apply: { type: 'boolean', default: false },
      'directory-url': { type: 'string' },
    },
    strict: true,
  }).values;
}
try {
  args = parseOptions();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
if (
  !args.province ||
  !args.agencies ||
  !args.mailboxes ||
  !['auto', 'csv', 'zmprov', 'ldif'].includes(args.format ?? '')
) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

const base = args['directory-url'] ?? process.env.DIRECTORY_URL ?? 'http://127.0.0.1:3002';
const token = localSecret('ADMIN_TOKEN');
const files: Record<'agencies' | 'mailboxes', string> = { agencies: '', mailboxes: '' };
for (const file of ['agencies', 'mailboxes'] as const) {
  const where = args[file] as string;
  try {
    files[file] = readFileSync(where, 'utf8');
  } catch (error) {
    finish(
      {
        agencies: 0,
        mailboxes: 0,
        conflicts: [
          { file, line: 0, field: '', message: `cannot read ${where}: ${(error as Error).message}` },
        ],
        applied: false,
      },
      1,
    );
  }
}

async function call<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as T };
}

const request = {
  province: args.province,
  agencies: files.agencies,
  mailboxes: files.mailboxes,
  mailboxesFormat: args.format,
};
const started = performance.now();
const planned = await call<Summary & { title?: string; detail?: string }>('POST', '/admin/imports', {
  ...request,
  apply: false,
});
if (planned.status !== 200) {
  process.stderr.write(`${planned.body.detail ?? planned.body.title ?? JSON.stringify(planned.body)}\n`);
  finish({ agencies: 0, mailboxes: 0, conflicts: [], applied: false, error: planned.body }, 1);
}
const plan = planned.body;
const planSeconds = (performance.now() - started) / 1000;
const outcome = {
  agencies: plan.agencies,
  mailboxes: plan.mailboxes,
  legacy: plan.legacy,
  alreadyImported: plan.alreadyImported,
  withoutPassword: plan.withoutPassword,
  format: plan.format,
  planSeconds: Math.round(planSeconds * 100) / 100,
  conflicts: plan.conflicts,
};
process.stderr.write(
  `plan: ${plan.agencies} agencies, ${plan.mailboxes} mailboxes (${plan.legacy} legacy, ${plan.alreadyImported} rows already imported), ${plan.conflicts.length} conflicts, ${outcome.planSeconds} s\n`,
);
for (const c of plan.conflicts.slice(0, 50))
  process.stderr.write(`  ${c.file}:${c.line} ${c.field}: ${c.message}\n`);
if (plan.conflicts.length > 50)
  process.stderr.write(`  … ${plan.conflicts.length - 50} more in the JSON below\n`);
if (plan.conflicts.length > 0 || !args.apply)
  finish({ ...outcome, applied: false }, plan.conflicts.length > 0 ? 1 : 0);

const submitted = await call<Summary & { detail?: string }>('POST', '/admin/imports', {
  ...request,
  apply: true,
});
if (submitted.status !== 202 || !submitted.body.jobId) {
  process.stderr.write(`apply refused: ${submitted.body.detail ?? JSON.stringify(submitted.body)}\n`);
  finish({ ...outcome, applied: false, error: submitted.body }, 1);
}
const jobId = submitted.body.jobId as string;
const applyStarted = performance.now();
const bar = createProgress({ stream: process.stderr, label: 'import' });
process.on('SIGINT', () => {
  bar.done();
  process.stderr.write(
    `\nstopped following; the import goes on in the directory (job ${jobId}): run the same command again to follow it\n`,
  );
  finish({ ...outcome, jobId, applied: false, interrupted: true }, 130);
});
let last: Progress | null = null;
for (;;) {
  try {
    const { status, body } = await call<Progress>('GET', `/admin/imports/${jobId}`);
    if (status === 200) {
      last = body;
      bar.update(body.mailboxesConfirmed + body.mailboxesFailed, Math.max(body.mailboxes, 1));
      if (body.state === 'failed' || body.finished) break;
    }
  } catch {
    // the directory restarting: it resumes the job at start; keep following
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
bar.done();
const seconds = (performance.now() - applyStarted) / 1000;
const ok = last?.state === 'applied' && last.finished && last.mailboxesFailed === 0;
if (last?.error) process.stderr.write(`import failed: ${last.error}\n`);
finish(
  {
    ...outcome,
    jobId,
    applied: ok,
    mailboxesConfirmed: last?.mailboxesConfirmed ?? 0,
    mailboxesFailed: last?.mailboxesFailed ?? 0,
    applySeconds: Math.round(seconds * 100) / 100,
    mailboxesPerSecond: seconds > 0 ? Math.round(((last?.mailboxesWritten ?? 0) / seconds) * 10) / 10 : null,
  },
  ok ? 0 : 1,
);
