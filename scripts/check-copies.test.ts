// The copy check (scripts/check-copies.ts) fails on a block copied from one service into another
// and lets a repetition inside one service pass: each test lays out a small services/ tree in a
// temporary folder and runs the check there with the project's .jscpd.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const script = path.join(import.meta.dirname, 'check-copies.ts');
const trees: string[] = [];
afterEach(() => {
  for (const dir of trees.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function check(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'hopthu-copies-'));
  trees.push(dir);
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), source);
  }
  mkdirSync(path.join(dir, 'packages', 'shared'), { recursive: true });
  const r = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

// about fifteen lines of real logic, well above the threshold
const block = (
  name: string,
) => `export async function ${name}(baseUrl: string, token: string, body?: unknown) {
  const res = await fetch(\`\${baseUrl}/admin/things\`, {
    method: 'POST',
    headers: {
      authorization: \`Bearer \${token}\`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 500) throw new Error(\`upstream answered \${res.status}: \${text.slice(0, 200)}\`);
  const parsed = text ? JSON.parse(text) : null;
  return { status: res.status, body: parsed, retryAfter: res.headers.get('retry-after') ?? undefined };
}
`;

describe('the copy check', { timeout: 30_000 }, () => {
  it('when a block is copied from one service into another, then it fails naming both places', () => {
    const r = check({
      'services/alpha/src/adapters/client.ts': block('callAlpha'),
      'services/beta/test/helpers.ts': `// helpers\n${block('callAlpha')}`,
    });
    expect(r.status).toBe(1);
    expect(r.output).toContain('services/alpha/src/adapters/client.ts');
    expect(r.output).toContain('services/beta/test/helpers.ts');
    expect(r.output).toContain('1 block(s) copied between services');
  });

  it('when a block repeats inside one service only, then it passes', () => {
    const r = check({
      'services/alpha/src/adapters/client.ts': block('callAlpha'),
      'services/alpha/test/helpers.ts': block('callAlpha'),
    });
    expect(r.output).toContain('no block copied between services');
    expect(r.status).toBe(0);
  });
});
