// Reading province policy files: the five seeds shipped in packages/naming/provinces/, and an
// installation's own (PROVINCE_POLICY_DIR). The only module of @hopthu/naming that touches the file
// system; parsing and checking are pure (parse-province-policy.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblems, type PolicyProblem, parseProvincePolicy } from './parse-province-policy.ts';
import type { ProvincePolicy } from './policy-types.ts';

/** The directory of the seed provinces' files. */
export const SEED_POLICY_DIR = fileURLToPath(new URL('../../provinces/', import.meta.url));

/** The seeds in the order of the seed texts (000 Thanh Hóa … 004 Kiên Giang). */
export const SEED_PROVINCE_IDS = ['thanh-hoa', 'dak-nong', 'bac-ninh', 'khanh-hoa', 'kien-giang'] as const;

/** A policy file that cannot be used: which file, and every problem by its path. */
export class ProvincePolicyFileError extends Error {
  readonly file: string;
  readonly problems: readonly PolicyProblem[];

  constructor(file: string, problems: readonly PolicyProblem[]) {
    super(
      `invalid province policy ${file} (chính sách tỉnh không hợp lệ):\n  ${formatProblems(problems).join('\n  ')}`,
    );
    this.name = 'ProvincePolicyFileError';
    this.file = file;
    this.problems = problems;
  }
}

export type CheckedPolicyFile =
  | { file: string; ok: true; policy: ProvincePolicy }
  | { file: string; ok: false; problems: PolicyProblem[] };

/** Reads and checks one file; never throws. */
export function checkProvincePolicyFile(file: string): CheckedPolicyFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return {
      file,
      ok: false,
      problems: [{ path: '', vi: `không đọc được tệp (${reason})`, en: `cannot read the file (${reason})` }],
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const reason = (error as Error).message;
    return {
      file,
      ok: false,
      problems: [{ path: '', vi: `không phải JSON hợp lệ: ${reason}`, en: `not valid JSON: ${reason}` }],
    };
  }
  const parsed = parseProvincePolicy(json);
  return parsed.ok
    ? { file, ok: true, policy: parsed.policy }
    : { file, ok: false, problems: parsed.problems };
}

/** One policy file, or a ProvincePolicyFileError naming the file and every problem. */
export function loadProvincePolicyFile(file: string): ProvincePolicy {
  const checked = checkProvincePolicyFile(file);
  if (!checked.ok) throw new ProvincePolicyFileError(file, checked.problems);
  return checked.policy;
}

/** The five seed policies, read and checked. */
export function loadSeedPolicies(dir: string = SEED_POLICY_DIR): ProvincePolicy[] {
  return SEED_PROVINCE_IDS.map((id) => {
    const file = join(dir, `${id}.json`);
    const policy = loadProvincePolicyFile(file);
    if (policy.id !== id) throw new ProvincePolicyFileError(file, [idMismatch(id, policy.id)]);
    return policy;
  });
}

/**
 * The seeds, then every `*.json` of `extraDir` in name order: a file whose id is a seed's replaces
 * it, another adds a province. Each file must be named `<id>.json`. Throws on the first bad file.
 */
export function loadProvincePolicies(options: { extraDir?: string | undefined } = {}): ProvincePolicy[] {
  const byId = new Map(loadSeedPolicies().map((p) => [p.id, p]));
  if (options.extraDir) {
    const dir = resolve(options.extraDir);
    let names: string[];
    try {
      if (!statSync(dir).isDirectory()) throw new Error('not a directory');
      names = readdirSync(dir)
        .filter((n) => n.endsWith('.json'))
        .sort();
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ProvincePolicyFileError(dir, [
        {
          path: '',
          vi: `không đọc được thư mục PROVINCE_POLICY_DIR (${reason})`,
          en: `cannot read the PROVINCE_POLICY_DIR directory (${reason})`,
        },
      ]);
    }
    for (const name of names) {
      const file = join(dir, name);
      const policy = loadProvincePolicyFile(file);
      const expected = name.slice(0, -'.json'.length);
      if (policy.id !== expected) throw new ProvincePolicyFileError(file, [idMismatch(expected, policy.id)]);
      byId.set(policy.id, policy);
    }
  }
  return [...byId.values()];
}

function idMismatch(expected: string, actual: string): PolicyProblem {
  return {
    path: '/id',
    vi: `tệp ${expected}.json phải có id "${expected}", không phải "${actual}"`,
    en: `file ${expected}.json must have id "${expected}", not "${actual}"`,
  };
}
