// Province policy files: the five seeds and the worked example are accepted, the published schema is
// the one the code checks with, and a bad file is refused with every problem by path in Vietnamese
// and English.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planUnitAddress } from '../unit.ts';
import { parseProvincePolicy } from './parse-province-policy.ts';
import {
  checkProvincePolicyFile,
  loadProvincePolicies,
  ProvincePolicyFileError,
  SEED_POLICY_DIR,
} from './province-policy-files.ts';
import { publishedProvincePolicySchema } from './province-policy-schema.ts';
import { getPolicy, installProvincePolicies, listPolicies } from './registry.ts';
import { MB } from './sizes.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const AN_GIANG = join(ROOT, 'docs/provinces/an-giang.json');
const seedJson = (id: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(SEED_POLICY_DIR, `${id}.json`), 'utf8'));

function problemsOf(json: unknown) {
  const parsed = parseProvincePolicy(json);
  if (parsed.ok) throw new Error('expected the policy to be refused');
  return parsed.problems;
}

describe('province policy files', () => {
  it('docs/province-policy.schema.json is the schema the code checks with (run `./hopthu policy schema > docs/province-policy.schema.json`)', () => {
    const published = JSON.parse(readFileSync(join(ROOT, 'docs/province-policy.schema.json'), 'utf8'));
    expect(published).toEqual(publishedProvincePolicySchema());
  });

  it('the five seed files and the An Giang worked example are accepted', () => {
    for (const id of ['thanh-hoa', 'dak-nong', 'bac-ninh', 'khanh-hoa', 'kien-giang']) {
      expect(checkProvincePolicyFile(join(SEED_POLICY_DIR, `${id}.json`)), id).toMatchObject({ ok: true });
    }
    expect(checkProvincePolicyFile(AN_GIANG)).toMatchObject({ ok: true, policy: { id: 'an-giang' } });
  });

  it('each seed carries its per-province values with the article behind them', () => {
    const values = Object.fromEntries(
      listPolicies().map((p) => [
        p.id,
        {
          sla: p.sla.workingDays,
          copy: p.resultCopy?.address ?? null,
          lock: p.defaultPasswordLock?.workingDays ?? null,
          firstLogin: p.firstLoginChange ? [p.firstLoginChange.onCreate, p.firstLoginChange.onReset] : null,
          retention: [p.retention.deletedMailDays, p.retention.retiredAddressDays],
          handover: p.agencyHandover?.article ?? null,
        },
      ]),
    );
    expect(values).toEqual({
      'thanh-hoa': { sla: 2, copy: null, lock: null, firstLogin: null, retention: [90, 365], handover: null },
      'dak-nong': {
        sla: 2,
        copy: null,
        lock: null,
        firstLogin: [true, true],
        retention: [90, 365],
        handover: 'Điều 13 khoản 2',
      },
      'bac-ninh': {
        sla: 2,
        copy: 'stttt@bacninh.gov.vn',
        lock: null,
        firstLogin: null,
        retention: [90, 365],
        handover: null,
      },
      'khanh-hoa': {
        sla: 2,
        copy: null,
        lock: null,
        firstLogin: [false, true],
        retention: [90, 365],
        handover: null,
      },
      'kien-giang': {
        sla: 2,
        copy: 'sttt@kiengiang.gov.vn',
        lock: 5,
        firstLogin: null,
        retention: [90, 365],
        handover: null,
      },
    });
    expect(getPolicy('kien-giang').resultCopy?.article).toBe('Điều 5 khoản 3');
    expect(getPolicy('bac-ninh').sla.article).toBe('Điều 4 khoản 2 điểm b');
    expect(getPolicy('bac-ninh').password).toMatchObject({
      minLength: 8,
      specialCharacters: '!@#%$*&',
      article: 'Điều 5 khoản 2',
    });
    expect(getPolicy('dak-nong').password.article).toBe('Điều 12 khoản 1');
    expect(getPolicy('kien-giang').password.article).toBe('Điều 10 khoản 4');
    expect(getPolicy('khanh-hoa').firstLoginChange?.article).toBe('Điều 4 khoản 2');
    for (const policy of listPolicies()) {
      for (const article of [
        policy.domainArticle,
        policy.separatorArticle,
        policy.personal.article,
        policy.units.article,
        policy.collision.article,
        policy.capacity.article,
        policy.password.article,
        policy.sla.article,
        policy.approval.article,
        policy.retention.article,
      ]) {
        expect(article.length, policy.id).toBeGreaterThan(0);
      }
    }
  });

  it('when a file has several mistakes, then every one is named by its path in Vietnamese and English', () => {
    const json = seedJson('bac-ninh');
    json.domain = 'bacninh';
    (json.capacities as Record<string, unknown>).attachment = '20 MB';
    (json.naming as Record<string, unknown>).separator = '-';
    (json.naming as { collision: Record<string, unknown> }).collision = { kind: 'numbers', article: 'x' };
    delete (json.sla as Record<string, unknown>).workingDays;
    (json as Record<string, unknown>).slaDays = 2;
    (json.inactivity as Record<string, unknown>).months = 0;
    const problems = problemsOf(json);
    expect(problems.map((p) => p.path).sort()).toEqual([
      '/capacities/attachment',
      '/domain',
      '/inactivity/months',
      '/naming/collision/kind',
      '/naming/separator',
      '/sla/workingDays',
      '/slaDays',
    ]);
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
    expect(byPath['/sla/workingDays']).toEqual({
      path: '/sla/workingDays',
      vi: 'thiếu trường bắt buộc',
      en: 'required field is missing',
    });
    expect(byPath['/slaDays']?.en).toBe('unknown field (a misspelt name?)');
    expect(byPath['/capacities/attachment']).toMatchObject({
      vi: '"20 MB" không đúng dạng dung lượng như "500MB", "10GB"',
      en: '"20 MB" is not a size like "500MB" or "10GB"',
    });
    expect(byPath['/naming/separator']?.en).toBe('must be one of ".", "_"');
    expect(byPath['/naming/collision/kind']?.vi).toBe('phải là một trong "numeric", "letters", "operator"');
    expect(byPath['/inactivity/months']).toMatchObject({ vi: 'phải từ 1 trở lên', en: 'must be at least 1' });
  });

  it('when a nullable rule is given with a wrong field, then the path reaches inside it', () => {
    const json = seedJson('kien-giang');
    (json.resultCopy as Record<string, unknown>).address = 'sttt';
    (json.defaultPasswordLock as Record<string, unknown>).workingDays = 'five';
    expect(problemsOf(json).map((p) => [p.path, p.en])).toEqual([
      ['/defaultPasswordLock/workingDays', 'must be an integer'],
      ['/resultCopy/address', '"sttt" is not a mail address (sttt@kiengiang.gov.vn)'],
    ]);
  });

  it('when the approval rules would let one operator delete an agency mailbox, then the file is refused', () => {
    const json = seedJson('thanh-hoa');
    (json.approval as Record<string, unknown>).rules = [
      { operation: '*', mailboxType: '*', approval: 'operator' },
    ];
    expect(problemsOf(json)).toEqual([
      expect.objectContaining({ path: '/approval/rules', en: expect.stringContaining('two operators') }),
    ]);
  });

  it('when the name is not NFC or an alias domain repeats the primary one, then both are named', () => {
    const json = seedJson('bac-ninh');
    json.name = 'Bắc Ninh'.normalize('NFD');
    json.aliasDomains = ['bacgiang.gov.vn', 'bacninh.gov.vn'];
    expect(problemsOf(json).map((p) => p.path)).toEqual(['/name', '/aliasDomains/1']);
  });

  it('a seed read from its file gives the figures of the regulation in bytes', () => {
    expect(getPolicy('kien-giang').attachmentLimitBytes).toBe(15 * MB);
    expect(getPolicy('bac-ninh').reserved).toContain('postmaster');
  });

  it('An Giang (QĐ 63/2016): a department is so<name>@, a chosen abbreviation still wins', () => {
    const anGiang = checkProvincePolicyFile(AN_GIANG);
    if (!anGiang.ok) throw new Error('An Giang refused');
    const plan = (name: string, abbreviation?: string) =>
      planUnitAddress(anGiang.policy, { unit: { name, type: 'department', abbreviation } }).heads[0];
    expect(plan('Sở Tài chính')).toBe('sotc');
    expect(plan('Sở Nội vụ')).toBe('sonv');
    expect(plan('Sở Thông tin và Truyền thông')).toBe('sotttt');
    expect(plan('Sở Nội vụ', 'snv')).toBe('snv');
    expect(plan('Ban Dân tộc')).toBe('bdt');
  });

  it('an installation directory adds a province and replaces a seed by id; the registry serves them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'provinces-'));
    writeFileSync(join(dir, 'an-giang.json'), readFileSync(AN_GIANG));
    const kienGiang = seedJson('kien-giang');
    (kienGiang.sla as Record<string, unknown>).workingDays = 3;
    writeFileSync(join(dir, 'kien-giang.json'), JSON.stringify(kienGiang));
    const policies = loadProvincePolicies({ extraDir: dir });
    expect(policies.map((p) => p.id)).toEqual([
      'thanh-hoa',
      'dak-nong',
      'bac-ninh',
      'khanh-hoa',
      'kien-giang',
      'an-giang',
    ]);
    const before = listPolicies();
    try {
      installProvincePolicies(policies);
      expect(getPolicy('kien-giang').sla.workingDays).toBe(3);
      expect(getPolicy('an-giang').domain).toBe('angiang.gov.vn');
    } finally {
      installProvincePolicies(before);
    }
    expect(getPolicy('kien-giang').sla.workingDays).toBe(2);
  });

  it('when a file in the directory is broken, then loading throws naming the file and each path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'provinces-'));
    const json = seedJson('bac-ninh');
    (json.retention as Record<string, unknown>).deletedMailDays = -1;
    writeFileSync(join(dir, 'bac-ninh.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'ha-noi.json'), '{ "id": "ha-noi", ');
    expect(() => loadProvincePolicies({ extraDir: dir })).toThrow(ProvincePolicyFileError);
    try {
      loadProvincePolicies({ extraDir: dir });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain(join(dir, 'bac-ninh.json'));
      expect(message).toContain('/retention/deletedMailDays: phải từ 0 trở lên | must be at least 0');
    }
  });

  it('when a file is named for another province or two provinces share a domain, then it is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'provinces-'));
    writeFileSync(join(dir, 'ha-noi.json'), readFileSync(AN_GIANG));
    expect(() => loadProvincePolicies({ extraDir: dir })).toThrow(/ha-noi\.json must have id "ha-noi"/);
    const twin = { ...getPolicy('bac-ninh'), id: 'bac-giang', aliasDomains: [] };
    expect(() => installProvincePolicies([...listPolicies(), twin])).toThrow(
      /bacninh\.gov\.vn belongs to two provinces/,
    );
    expect(listPolicies()).toHaveLength(5);
  });

  it('property: whatever JSON is given, the check never throws and every problem has a path and both languages', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.record({ id: fc.string(), naming: fc.jsonValue() })),
        (json) => {
          const parsed = parseProvincePolicy(json);
          if (parsed.ok) return;
          expect(parsed.problems.length).toBeGreaterThan(0);
          for (const p of parsed.problems) {
            expect(p.path === '' || p.path.startsWith('/')).toBe(true);
            expect(p.vi.length).toBeGreaterThan(0);
            expect(p.en.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: a seed missing any one required field is refused naming exactly that field', () => {
    const seed = seedJson('kien-giang');
    const required = Object.keys(seed).filter((k) => k !== '$schema');
    fc.assert(
      fc.property(fc.constantFrom(...required), (field) => {
        const json: Record<string, unknown> = { ...seed };
        delete json[field];
        expect(problemsOf(json).map((p) => [p.path, p.en])).toEqual([
          [`/${field}`, 'required field is missing'],
        ]);
      }),
    );
  });
});
