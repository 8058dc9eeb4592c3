// ./hopthu backup and ./hopthu restore on the real stack (Thanh Hóa Điều 12 khoản 3, Khánh Hòa
// Điều 11 khoản 4): a mailbox with a delivered letter is backed up with every database and the
// maildirs; the restore (into scratch databases and a scratch mail root, so the shared stack is not
// rolled back under other tests) brings back the mailbox in the directory and in vmail, and the
// letter in its maildir. Delivery paused during the backup resumes after it.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localSecret } from '@hopthu/shared/local-env';
import { adminFetch, messageIdsInInbox, readStack, serviceUrl, waitFor } from '@hopthu/shared/testing';
import bcrypt from 'bcryptjs';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const stack = readStack();
const suffix = `_rt${randomBytes(3).toString('hex')}`;
const work = mkdtempSync(path.join(tmpdir(), 'hopthu-backup-'));
const backupDir = path.join(work, 'backup');
const scratchRoot = path.join(work, 'vmail');

function hopthu(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(path.join(root, 'hopthu'), args, {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.status !== 0)
    throw new Error(`./hopthu ${args.join(' ')}: ${run.status}\n${run.stdout}\n${run.stderr}`);
  return run.stdout + run.stderr;
}

async function query(database: string, sql: string, params: unknown[]) {
  // vmail and its copy as vmail_admin, a hopthu_* database and its copy as the services' user
  const url = new URL(
    localSecret(database.startsWith('vmail') ? 'VMAIL_DATABASE_URL' : 'DIRECTORY_DATABASE_URL'),
  );
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

afterAll(async () => {
  for (const db of ['vmail', 'hopthu_directory']) {
    spawnSync(
      'runuser',
      ['-u', 'postgres', '--', 'psql', '-Xqc', `DROP DATABASE IF EXISTS "${db}${suffix}" WITH (FORCE)`],
      {
        cwd: '/',
      },
    );
  }
  rmSync(work, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('a mailbox and its letter, backed up, come back from the backup', async () => {
    const password = `Kt${randomBytes(6).toString('hex')}1!`;
    const abbreviation = `bk${randomBytes(4).toString('hex')}`;
    const registered = await adminFetch(serviceUrl('directory'), 'POST', '/admin/agencies', {
      province: 'bac-ninh',
      name: `Sở Sao lưu ${abbreviation}`,
      abbreviation,
      unitType: 'agency',
      officialMailboxPasswordHash: `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`,
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const address = registered.body.officialMailbox as string;
    const subject = `Sao lưu ${abbreviation}`;
    await waitFor(
      async () => (await query('vmail', 'SELECT 1 FROM mailbox WHERE username = $1', [address])).length === 1,
      {
        what: `${address} in vmail`,
        timeoutMs: 30_000,
      },
    );
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: 2525,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: 'vanthu@bacninh.gov.vn',
      to: address,
      subject,
      text: 'Văn bản lưu trữ',
    });
    transport.close();
    await waitFor(
      async () => (await messageIdsInInbox(address, password, subject, stack.imap)).length === 1,
      {
        what: 'letter delivered',
        timeoutMs: 30_000,
      },
    );

    const mailboxId = registered.body.officialMailboxId as string;

    const out = hopthu(['backup', backupDir]);
    expect(out).toMatch(/backup done: \d+ databases/);
    const manifest = readFileSync(path.join(backupDir, 'manifest.txt'), 'utf8');
    for (const db of [
      'vmail',
      'hopthu_directory',
      'hopthu_requests',
      'hopthu_provisioner',
      'hopthu_notifier',
    ]) {
      expect(manifest).toContain(`database ${db} `);
    }
    // delivery resumed after the backup
    const after = spawnSync('postconf', ['-h', 'defer_transports'], { encoding: 'utf8' });
    expect(after.stdout.trim()).toBe('');

    hopthu(['restore', backupDir], {
      RESTORE_SUFFIX: suffix,
      RESTORE_VMAIL_ROOT: scratchRoot,
      RESTORE_DATABASES: 'vmail hopthu_directory',
    });
    expect(
      await query(`vmail${suffix}`, 'SELECT active FROM mailbox WHERE username = $1', [address]),
    ).toEqual([{ active: true }]);
    expect(
      await query(`hopthu_directory${suffix}`, 'SELECT id, address FROM mailboxes WHERE address = $1', [
        address,
      ]),
    ).toEqual([{ id: mailboxId, address }]);
    const [local, domain] = address.split('@') as [string, string];
    const letters = filesUnder(path.join(scratchRoot, domain, local)).filter((f) =>
      readFileSync(f, 'latin1').includes(abbreviation),
    );
    expect(letters.length).toBeGreaterThanOrEqual(1);
    expect(statSync(letters[0] as string).uid).toBe(5000); // vmail, as Dovecot wrote it
  });
});
