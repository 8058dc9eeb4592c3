// ./hopthu fuzz [--runs N] [--seed S] [--concurrency C] [--service NAME]...: fuzzes every route of
// every running service (test/fuzz/run-fuzz.ts) and prints a summary per route, then every
// finding (5xx, refused input that left rows, defective input accepted, refusal that is not
// problem+json, route without a body generator). Writes the report to var/fuzz/latest.json. Exit 1
// on any finding.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@hopthu/shared/testing';
import { failuresOf, runFuzz } from '../test/fuzz/run-fuzz.ts';
import { SERVICES, type ServiceName } from '../test/fuzz/route-table.ts';

function parseArgs(argv: string[]) {
  const o = { runs: 10_000, seed: Date.now() % 2 ** 31, concurrency: 4, services: [] as ServiceName[] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const number = () => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a whole number`);
      i++;
      return n;
    };
    if (flag === '--runs') o.runs = number();
    else if (flag === '--seed') o.seed = number();
    else if (flag === '--concurrency') o.concurrency = Math.max(1, number());
    else if (flag === '--service' && SERVICES.includes(value as ServiceName)) {
      o.services.push(value as ServiceName);
      i++;
    } else
      throw new Error(
        `usage: ./hopthu fuzz [--runs N] [--seed S] [--concurrency C] [--service ${SERVICES.join('|')}]...`,
      );
  }
  return o;
}

const args = parseArgs(process.argv.slice(2));
console.log(`fuzz: ${args.runs} runs, seed ${args.seed}, ${args.concurrency} routes at a time`);
const report = await runFuzz({
  runs: args.runs,
  seed: args.seed,
  concurrency: args.concurrency,
  ...(args.services.length > 0 ? { services: args.services } : {}),
  progress: (line) => console.log(line),
});
const failures = failuresOf(report);
const serverErrors = report.routes.reduce((n, r) => n + r.serverErrors.length, 0);
const out = path.join(repoRoot, 'var/fuzz');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(
  `\nfuzz: ${report.runs} runs over ${report.routes.length} routes in ${report.seconds} s (seed ${report.seed}): ` +
    `${serverErrors} answers ≥ 500, ${report.routes.reduce((n, r) => n + r.leftovers.length, 0)} refused inputs left rows, ` +
    `${report.withoutGenerator.length} routes without a generator, ` +
    `${report.routes.reduce((n, r) => n + r.whileStackDown, 0)} 5xx while a service was down for minutes (not counted); report in var/fuzz/latest.json`,
);
for (const line of failures) console.log(`  ${line}`);
process.exit(failures.length > 0 ? 1 : 0);
