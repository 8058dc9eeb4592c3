// `./hopthu policy`: province policy files.
//   check <file|dir>...  checks each file (a directory: its *.json, as PROVINCE_POLICY_DIR is read);
//                     prints one line per accepted file, every problem of a refused one by its JSON
//                     path in Vietnamese and English; exit 1 when any is refused
//   schema            prints the JSON Schema (docs/province-policy.schema.json is this output)
//   table [--seeds]   prints the values that differ by province with their articles, as Markdown:
//                     the seeds and PROVINCE_POLICY_DIR's files; --seeds: the five seeds only
//                     (docs/provinces.md has this)
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { formatProblems } from './policies/parse-province-policy.ts';
import { perProvinceTable } from './policies/policy-table.ts';
import { checkProvincePolicyFile, loadProvincePolicies } from './policies/province-policy-files.ts';
import { publishedProvincePolicySchema } from './policies/province-policy-schema.ts';

const USAGE = `usage: ./hopthu policy check <file.json|dir>...   check province policy files (docs/provinces.md)
       ./hopthu policy schema                 print the JSON Schema of a province policy file
       ./hopthu policy table [--seeds]        print each province's values and their articles (Markdown)
`;

function check(files: readonly string[]): number {
  if (files.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  let refused = 0;
  const domains = new Map<string, string>();
  for (const file of files.flatMap(expand)) {
    const checked = checkProvincePolicyFile(file);
    // A service reads `<id>.json` only: a file named otherwise would pass here and stop it at start.
    const named = basename(file, '.json');
    if (checked.ok && named !== checked.policy.id) {
      refused++;
      process.stdout.write(
        `${file}: từ chối, 1 lỗi | refused, 1 problem\n  /id: tệp phải tên là ${checked.policy.id}.json | the file must be named ${checked.policy.id}.json\n`,
      );
      continue;
    }
    if (!checked.ok) {
      refused++;
      const count = checked.problems.length;
      process.stdout.write(
        `${file}: từ chối, ${count} lỗi | refused, ${count} problem${count === 1 ? '' : 's'}\n`,
      );
      for (const line of formatProblems(checked.problems)) process.stdout.write(`  ${line}\n`);
      continue;
    }
    const { policy } = checked;
    // Files checked together are one installation: a domain belongs to one province.
    const clash = [policy.domain, ...policy.aliasDomains].find((d) => domains.has(d));
    if (clash !== undefined) {
      refused++;
      process.stdout.write(
        `${file}: từ chối | refused\n  /domain: tên miền ${clash} đã thuộc ${domains.get(clash)} | domain ${clash} already belongs to ${domains.get(clash)}\n`,
      );
      continue;
    }
    for (const d of [policy.domain, ...policy.aliasDomains]) domains.set(d, policy.id);
    process.stdout.write(
      `${file}: hợp lệ | ok: ${policy.id} (${policy.name}), ${[policy.domain, ...policy.aliasDomains].join(', ')}, ${policy.instrument}\n`,
    );
  }
  return refused > 0 ? 1 : 0;
}

function expand(path: string): string[] {
  try {
    if (statSync(path).isDirectory()) {
      return readdirSync(path)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => join(path, name));
    }
  } catch {
    // not there: checkProvincePolicyFile says so
  }
  return [path];
}

function main(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  if (command === 'check') return check(rest);
  if (command === 'schema' && rest.length === 0) {
    process.stdout.write(`${JSON.stringify(publishedProvincePolicySchema(), null, 2)}\n`);
    return 0;
  }
  if (command === 'table' && (rest.length === 0 || (rest.length === 1 && rest[0] === '--seeds'))) {
    const extraDir = rest[0] === '--seeds' ? undefined : process.env.PROVINCE_POLICY_DIR || undefined;
    const policies = loadProvincePolicies({ extraDir });
    process.stdout.write(perProvinceTable(policies));
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  process.stderr.write(`unknown argument: ${argv.join(' ')}\n${USAGE}`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
