// Blocks copied between services: jscpd (.jscpd.json: 60 tokens, about eight lines, so the shared
// idioms of a route module or a config schema do not count) scans services/ and packages/shared,
// and this keeps the clones whose two fragments lie in different parts (two services, or a service
// and the shared package). A mechanism two services need lives once in packages/; a copy inside
// one service is that service's own business. The pure packages (naming, calendar) stand alone by
// design and are not scanned. Exit 1 when a copy is found. Usage: node scripts/check-copies.ts [dir]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface Fragment {
  name: string;
  start: number;
  end: number;
}
interface Clone {
  tokens: number;
  lines: number;
  firstFile: Fragment;
  secondFile: Fragment;
}

const repoRoot = path.join(import.meta.dirname, '..');
const cwd = path.resolve(process.argv[2] ?? repoRoot);
const jscpd = path.join(repoRoot, 'node_modules', 'jscpd', 'run-jscpd.js');
const scanned = ['services', 'packages/shared'];

/** services/<name> or packages/<name>: the unit that must not hold a copy of another's code. */
const partOf = (file: string) => path.relative(cwd, file).split(path.sep).slice(0, 2).join('/');
const where = (f: Fragment) => `${path.relative(cwd, f.name)}:${f.start}-${f.end}`;

const output = mkdtempSync(path.join(tmpdir(), 'hopthu-jscpd-'));
try {
  const run = spawnSync(
    process.execPath,
    [
      jscpd,
      ...scanned,
      '--config',
      path.join(repoRoot, '.jscpd.json'),
      '--output',
      output,
      '--absolute',
      '--no-colors',
    ],
    { cwd, encoding: 'utf8' },
  );
  if (run.status !== 0 && run.status !== 1) {
    process.stderr.write(`${run.stdout}${run.stderr}`);
    throw new Error(`jscpd failed (exit ${run.status})`);
  }
  const report = JSON.parse(readFileSync(path.join(output, 'jscpd-report.json'), 'utf8')) as {
    duplicates: Clone[];
  };
  const copies = report.duplicates.filter((c) => partOf(c.firstFile.name) !== partOf(c.secondFile.name));
  for (const c of copies)
    console.log(`${where(c.firstFile)} = ${where(c.secondFile)} (${c.lines} lines, ${c.tokens} tokens)`);
  console.log(
    copies.length === 0
      ? `no block copied between services (${report.duplicates.length} within one part, not counted)`
      : `${copies.length} block(s) copied between services: move each into packages/`,
  );
  process.exitCode = copies.length === 0 ? 0 : 1;
} finally {
  rmSync(output, { recursive: true, force: true });
}
