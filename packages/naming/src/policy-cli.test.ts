// `./hopthu policy check` as an IT centre runs it: the entry point, real files, the exit status.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SEEDS = ['thanh-hoa', 'dak-nong', 'bac-ninh', 'khanh-hoa', 'kien-giang'].map((id) =>
  join(ROOT, 'packages/naming/provinces', `${id}.json`),
);

function hopthu(...args: string[]) {
  const result = spawnSync(join(ROOT, 'hopthu'), args, { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('./hopthu policy check', () => {
  it('accepts the five seed files and the An Giang example, one line each, exit 0', () => {
    const run = hopthu('policy', 'check', ...SEEDS, join(ROOT, 'docs/provinces/an-giang.json'));
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[4]).toBe(
      `${SEEDS[4]}: hợp lệ | ok: kien-giang (Kiên Giang), kiengiang.gov.vn, QĐ 2639/QĐ-UBND (15/11/2016)`,
    );
    expect(lines[5]).toContain('ok: an-giang (An Giang), angiang.gov.vn');
  });

  it('refuses a broken file listing every error by path in Vietnamese and English, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-cli-'));
    const json = JSON.parse(readFileSync(SEEDS[2] as string, 'utf8'));
    json.domain = 'bacninh';
    json.sla.workingDays = 0;
    delete json.password.minLength;
    const file = join(dir, 'bac-ninh.json');
    writeFileSync(file, JSON.stringify(json));
    const run = hopthu('policy', 'check', SEEDS[0] as string, file);
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([
      expect.stringContaining(': hợp lệ | ok: thanh-hoa'),
      `${file}: từ chối, 3 lỗi | refused, 3 problems`,
      '  /domain: "bacninh" không đúng dạng tên miền chữ thường (bacninh.gov.vn) | "bacninh" is not a lowercase domain name (bacninh.gov.vn)',
      '  /password/minLength: thiếu trường bắt buộc | required field is missing',
      '  /sla/workingDays: phải từ 1 trở lên | must be at least 1',
    ]);
  });

  it('refuses what is not JSON, and a missing file, naming each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-cli-'));
    const file = join(dir, 'x.json');
    writeFileSync(file, '{ "id": ');
    const run = hopthu('policy', 'check', file, join(dir, 'missing.json'));
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`${file}: từ chối, 1 lỗi | refused, 1 problem`);
    expect(run.stdout).toContain('/: không phải JSON hợp lệ');
    expect(run.stdout).toContain('cannot read the file (ENOENT)');
  });

  it('without a file it prints the usage and exits 2', () => {
    const run = hopthu('policy', 'check');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage: ./hopthu policy check');
  });

  it('a province added in PROVINCE_POLICY_DIR is one ./hopthu naming knows: An Giang gives sotc@angiang.gov.vn', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-cli-'));
    writeFileSync(join(dir, 'an-giang.json'), readFileSync(join(ROOT, 'docs/provinces/an-giang.json')));
    const result = spawnSync(join(ROOT, 'hopthu'), ['naming'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, PROVINCE_POLICY_DIR: dir },
      input: `${JSON.stringify({ province: 'an-giang', kind: 'unit', unit: { name: 'Sở Tài chính', type: 'department' } })}\n`,
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ local: 'sotc', address: 'sotc@angiang.gov.vn' });
  });

  it('checks a directory as PROVINCE_POLICY_DIR is read, and refuses a file not named after its id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-cli-'));
    writeFileSync(join(dir, 'an-giang.json'), readFileSync(join(ROOT, 'docs/provinces/an-giang.json')));
    writeFileSync(join(dir, 'angiang-copy.json'), readFileSync(join(ROOT, 'docs/provinces/an-giang.json')));
    const run = hopthu('policy', 'check', dir);
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([
      expect.stringContaining(`${join(dir, 'an-giang.json')}: hợp lệ | ok: an-giang`),
      `${join(dir, 'angiang-copy.json')}: từ chối, 1 lỗi | refused, 1 problem`,
      '  /id: tệp phải tên là an-giang.json | the file must be named an-giang.json',
    ]);
  });
});

describe('./hopthu policy table', () => {
  it('prints the installation’s provinces with an installation file as one more column; --seeds the five seeds only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-table-'));
    writeFileSync(join(dir, 'an-giang.json'), readFileSync(join(ROOT, 'docs/provinces/an-giang.json')));
    const run = spawnSync(join(ROOT, 'hopthu'), ['policy', 'table'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, PROVINCE_POLICY_DIR: dir },
    });
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(
      '| value | Thanh Hóa | Đắk Nông | Bắc Ninh | Khánh Hòa | Kiên Giang | An Giang |',
    );
    const seeds = hopthu('policy', 'table', '--seeds');
    expect(seeds.status).toBe(0);
    expect(seeds.stdout.split('\n')[0]).toBe(
      '| value | Thanh Hóa | Đắk Nông | Bắc Ninh | Khánh Hòa | Kiên Giang |',
    );
    expect(seeds.stdout).toContain('`sttt@kiengiang.gov.vn` (Điều 5 khoản 3)');
  });
});
