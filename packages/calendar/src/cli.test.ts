// `./hopthu deadline` as operators and scripts use it: a child process fed JSON lines on stdin.
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

describe('hopthu deadline CLI', () => {
  it('writes one dueAt line per request, in +07:00, skips blank lines and exits 0', () => {
    const input = [
      JSON.stringify({ receivedAt: '2026-11-20T22:00:00+07:00', workingDays: 1 }),
      '',
      JSON.stringify({ receivedAt: '2026-02-16T13:00:00Z', workingDays: 1 }),
      '   ',
      JSON.stringify({ receivedAt: '2025-04-25', workingDays: 1, ticket: 'extra fields are ignored' }),
    ].join('\n');
    const { lines, status } = runCli(input);
    expect(status).toBe(0);
    expect(lines).toEqual([
      expect.objectContaining({ dueAt: '2026-11-24T00:00:00+07:00', dueDate: '2026-11-23', confirmed: true }),
      expect.objectContaining({ dueAt: '2026-02-24T00:00:00+07:00', dueDate: '2026-02-23', confirmed: true }),
      expect.objectContaining({ dueAt: '2025-04-27T00:00:00+07:00', dueDate: '2025-04-26', confirmed: true }),
    ]);
  });

  it('when the period reaches a year without a notice, then confirmed is false', () => {
    const { lines } = runCli(JSON.stringify({ receivedAt: '2026-12-28T10:00:00+07:00', workingDays: 5 }));
    expect(lines).toEqual([
      expect.objectContaining({
        dueAt: '2027-01-06T00:00:00+07:00',
        confirmed: false,
        unconfirmedYears: [2027],
      }),
    ]);
  });

  it('when a line is bad, then it gets an error naming the field and the rest go on', () => {
    const input = [
      '{not json',
      '[1,2]',
      JSON.stringify({ workingDays: 3 }),
      JSON.stringify({ receivedAt: '2026-11-20T10:00:00+07:00' }),
      JSON.stringify({ receivedAt: '2026-11-20T10:00:00', workingDays: 3 }),
      JSON.stringify({ receivedAt: 20261120, workingDays: 3 }),
      JSON.stringify({ receivedAt: '2026-11-20T10:00:00Z', workingDays: 0 }),
      JSON.stringify({ receivedAt: '2026-11-20T10:00:00Z', workingDays: '3' }),
      JSON.stringify({ receivedAt: '2026-11-20T10:00:00Z', workingDays: 2.5 }),
      JSON.stringify({ receivedAt: '2060-12-30T10:00:00Z', workingDays: 5 }),
      JSON.stringify({ receivedAt: '2019-06-03T10:00:00Z', workingDays: 1 }),
      JSON.stringify({ receivedAt: '2026-11-20T10:00:00+07:00', workingDays: 3 }),
    ].join('\r\n');
    const { lines, status } = runCli(input);
    expect(status).toBe(0);
    expect(lines).toEqual([
      expect.objectContaining({
        code: 'invalid_json',
        field: null,
        error: expect.any(String),
        vi: expect.any(String),
      }),
      expect.objectContaining({ code: 'invalid_request', field: null }),
      expect.objectContaining({ code: 'missing_field', field: 'receivedAt' }),
      expect.objectContaining({ code: 'missing_field', field: 'workingDays' }),
      expect.objectContaining({ code: 'invalid_field', field: 'receivedAt' }),
      expect.objectContaining({ code: 'invalid_field', field: 'receivedAt' }),
      expect.objectContaining({ code: 'invalid_field', field: 'workingDays' }),
      expect.objectContaining({ code: 'invalid_field', field: 'workingDays' }),
      expect.objectContaining({ code: 'invalid_field', field: 'workingDays' }),
      expect.objectContaining({
        code: 'out_of_range',
        field: 'workingDays',
        error: expect.stringContaining('2061'),
      }),
      expect.objectContaining({
        code: 'out_of_range',
        field: 'receivedAt',
        error: expect.stringContaining('2019'),
      }),
      expect.objectContaining({ dueAt: '2026-11-26T00:00:00+07:00' }),
    ]);
  });

  it('with empty input, then no output and exit 0', () => {
    expect(runCli('')).toMatchObject({ lines: [], status: 0 });
  });

  it('with --help, then usage; with an unknown argument, then usage on stderr and exit 2', () => {
    expect(spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' }).stdout).toContain('usage');
    const { status, stderr } = runCli('', ['--bogus']);
    expect(status).toBe(2);
    expect(stderr).toContain('usage');
  });
});
