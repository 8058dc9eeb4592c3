// ./hopthu import-mail: each imported mailbox's mail pulled from the old server over IMAP with
// Dovecot's own tools (doveadm backup -R from an imapc: location, i.e. dsync one-way), mailbox by
// mailbox. Incremental and resumable: finished mailboxes are recorded in
// var/import-mail/<province>.done and skipped on the next run (--again re-syncs them, cheaply:
// dsync fetches only what changed). A progress line on stderr; the last stdout line is one JSON
// object. See docs/import.md.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { localSecret } from '@hopthu/shared/local-env';
import pg from 'pg';
import { createProgress } from './import-progress.ts';

const USAGE =
  'usage: ./hopthu import-mail --province <id> --old-imap HOST:PORT (--master-user U --master-password-file F | --passwords-file F) [--addresses F] [--ssl] [--again]';

const { values: args } = parseArgs({
  options: {
    province: { type: 'string' },
    'old-imap': { type: 'string' },
    'master-user': { type: 'string' },
    'master-password-file': { type: 'string' },
    'passwords-file': { type: 'string' },
    addresses: { type: 'string' },
    ssl: { type: 'boolean', default: false },
    again: { type: 'boolean', default: false },
    doveadm: { type: 'string', default: 'doveadm' },
  },
});
const [host, port] = (args['old-imap'] ?? '').split(':');
const master = args['master-user'];
if (
  !args.province ||
  !host ||
  !port ||
  (!(master && args['master-password-file']) && !args['passwords-file'])
) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

const root = path.resolve(import.meta.dirname, '..');
const doneFile = path.join(root, 'var/import-mail', `${args.province}.done`);
mkdirSync(path.dirname(doneFile), { recursive: true });
const done = new Set(existsSync(doneFile) ? readFileSync(doneFile, 'utf8').split('\n').filter(Boolean) : []);

/** address → password, when the old server has no master user. */
const passwords = new Map<string, string>();
if (args['passwords-file']) {
  for (const line of readFileSync(args['passwords-file'], 'utf8').split('\n')) {
    const [address, ...rest] = line.split('\t');
    if (address && rest.length > 0) passwords.set(address.trim().toLowerCase(), rest.join('\t'));
  }
}
const masterPassword = args['master-password-file']
  ? readFileSync(args['master-password-file'], 'utf8').trim()
  : '';

async function importedAddresses(): Promise<string[]> {
  if (args.addresses) {
    return readFileSync(args.addresses, 'utf8')
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean);
  }
  const db = new pg.Client({ connectionString: localSecret('DIRECTORY_DATABASE_URL') });
  await db.connect();
  try {
    const { rows } = await db.query<{ key: string }>(
      `SELECT r.key FROM import_rows r JOIN mailboxes m ON m.id = r.entity_id
        WHERE r.province = $1 AND r.kind = 'mailbox' AND m.state <> 'deleted' ORDER BY r.at, r.key`,
      [args.province],
    );
    return rows.map((r) => r.key);
  } finally {
    await db.end();
  }
}

/** One mailbox: doveadm backup -R from the old server (imapc) into this server's maildir. */
function pullMailbox(address: string): Promise<{ ok: boolean; error: string }> {
  const password = master ? masterPassword : (passwords.get(address) ?? '');
  const options = [
    `imapc_host=${host}`,
    `imapc_port=${port}`,
    `imapc_user=${address}`,
    `imapc_password=${password}`,
    `imapc_ssl=${args.ssl ? 'imaps' : 'no'}`,
    'imapc_features=rfc822.size fetch-headers',
    ...(master ? [`imapc_master_user=${master}`] : []),
  ];
  const argv = [...options.flatMap((o) => ['-o', o]), 'backup', '-R', '-u', address, 'imapc:'];
  return new Promise((resolve) => {
    const child = spawn(args.doveadm as string, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.on('error', (error) => resolve({ ok: false, error: error.message }));
    // 2: dsync ran but another run changed the mailbox meanwhile (the next run finishes it)
    child.on('close', (code) =>
      resolve({ ok: code === 0 || code === 2, error: stderr.trim().split('\n').at(-1) ?? '' }),
    );
  });
}

const all = await importedAddresses();
const todo = all.filter((a) => args.again || !done.has(a));
const progress = createProgress({ stream: process.stderr, label: 'import-mail' });
const failed: { address: string; error: string }[] = [];
let finished = 0;
let stopping = false;
process.on('SIGINT', () => {
  stopping = true;
});
const started = performance.now();
for (const address of todo) {
  if (stopping) break;
  const result = await pullMailbox(address);
  if (result.ok) {
    if (!done.has(address)) appendFileSync(doneFile, `${address}\n`);
    done.add(address);
  } else failed.push({ address, error: result.error });
  finished++;
  progress.update(finished, todo.length);
}
progress.done();
const summary = {
  province: args.province,
  mailboxes: all.length,
  pulled: finished - failed.length,
  skippedAlreadyDone: all.length - todo.length,
  failed,
  interrupted: stopping,
  seconds: Math.round((performance.now() - started) / 10) / 100,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exit(failed.length > 0 || stopping ? 1 : 0);
