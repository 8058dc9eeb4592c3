// The CLI as operators and scripts use it: a child process fed JSON lines on stdin.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

function runCli(
  input: string,
  args: string[] = [],
): { lines: unknown[]; status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', timeout: 20_000 });
  const lines = result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
  return { lines, status: result.status, stderr: result.stderr };
}

const anh = { familyName: 'Trần', middleName: 'Văn', givenName: 'Anh' };

describe('hopthu naming CLI', () => {
  it('writes one JSON line per input line, skips blank lines and exits 0', () => {
    const input = [
      JSON.stringify({
        province: 'bac-ninh',
        kind: 'personal',
        person: anh,
        agency: 'stttt',
        taken: ['tvanh.stttt'],
      }),
      '',
      '   ',
      JSON.stringify({
        province: 'thanh-hoa',
        kind: 'personal',
        person: anh,
        agency: 'stttt',
        taken: ['anhtv.stttt'],
      }),
      JSON.stringify({
        province: 'khanh-hoa',
        kind: 'unit',
        unit: { name: 'Phòng Văn hóa và Thông tin', type: 'department', abbreviation: 'pvhtt' },
        parent: { name: 'Ủy ban nhân dân huyện Cam Lâm', type: 'district' },
      }),
    ].join('\n');
    const { lines, status } = runCli(input);
    expect(status).toBe(0);
    expect(lines).toEqual([
      { local: 'tvanh1.stttt', address: 'tvanh1.stttt@bacninh.gov.vn' },
      { decision: 'operator', candidates: ['anhtv1.stttt', 'anhtv2.stttt', 'anhtv3.stttt'] },
      { local: 'pvhtt_cl', address: 'pvhtt_cl@khanhhoa.gov.vn' },
    ]);
  });

  it('when a line is not JSON or not a valid request, then it gets an error line and the rest go on', () => {
    const input = [
      '{not json',
      JSON.stringify({
        province: 'bac-ninh',
        kind: 'personal',
        person: { ...anh, givenName: '' },
        agency: 'stttt',
      }),
      'null',
      JSON.stringify({ province: 'bac-ninh', kind: 'personal', person: anh, agency: 'stttt' }),
    ].join('\r\n');
    const { lines, status } = runCli(input);
    expect(status).toBe(0);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({
      code: 'invalid_json',
      error: expect.any(String),
      vi: expect.any(String),
    });
    expect(lines[1]).toMatchObject({
      code: 'missing_field',
      field: 'person.givenName',
      error: expect.any(String),
    });
    expect(lines[2]).toMatchObject({ code: 'invalid_request', error: expect.any(String) });
    expect(lines[3]).toEqual({ local: 'tvanh.stttt', address: 'tvanh.stttt@bacninh.gov.vn' });
  });

  it('with --request, the staff list is one request: Kiên Giang ranks, earlier lines count as taken', () => {
    const nam = { familyName: 'Trần', middleName: 'Văn', givenName: 'Nam' };
    const input = [
      JSON.stringify({
        province: 'kien-giang',
        kind: 'personal',
        person: { ...nam, rank: 3 },
        agency: 'sttt',
      }),
      'oops',
      JSON.stringify({
        province: 'kien-giang',
        kind: 'personal',
        person: { ...nam, rank: 1 },
        agency: 'sttt',
      }),
      JSON.stringify({ province: 'bac-ninh', kind: 'personal', person: anh, agency: 'stttt' }),
      JSON.stringify({ province: 'bac-ninh', kind: 'personal', person: anh, agency: 'stttt' }),
    ].join('\n');
    const { lines, status } = runCli(input, ['--request']);
    expect(status).toBe(0);
    expect(lines).toEqual([
      { local: 'tvnam1.sttt', address: 'tvnam1.sttt@kiengiang.gov.vn' },
      expect.objectContaining({ code: 'invalid_json' }),
      { local: 'tvnam.sttt', address: 'tvnam.sttt@kiengiang.gov.vn' },
      { local: 'tvanh.stttt', address: 'tvanh.stttt@bacninh.gov.vn' },
      { local: 'tvanh1.stttt', address: 'tvanh1.stttt@bacninh.gov.vn' },
    ]);
  });

  it('with empty input, then no output and exit 0', () => {
    expect(runCli('')).toMatchObject({ lines: [], status: 0 });
  });

  it('with an unknown argument, then usage on stderr and exit 2', () => {
    const { status, stderr } = runCli('', ['--bogus']);
    expect(status).toBe(2);
    expect(stderr).toContain('usage');
  });
});
