// ./hopthu import-mail against a second IMAP server on this machine: a throw-away Dovecot with its
// own config dir, port and an IMAP master user stands in for the province's old mail server. A
// mailbox imported by ./hopthu import gets its old mail over IMAP (doveadm backup -R from imapc:)
// and its holder reads it with the old password; a second run skips what is done.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { messageIdsInInbox, repoRoot } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zimbraSsha512 } from '../../../scripts/import-generate.ts';
import { randomLetters } from './helpers.ts';

const DOMAIN = 'bacninh.gov.vn';
const dir = mkdtempSync(path.join(tmpdir(), 'hopthu-oldimap-'));
const port = 11000 + Math.floor(Math.random() * 900);
const conf = path.join(dir, 'dovecot.conf');

function node(args: string[]): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: repoRoot, timeout: 150_000 }, (error, stdout, stderr) => {
      resolve({
        code: error ? ((error as { code?: number }).code ?? 1) : 0,
        json: JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}'),
        stderr,
      });
    });
  });
}

beforeAll(() => {
  execFileSync('chmod', ['755', dir]);
  // the old server's mail belongs to the mail user, as on a real server
  mkdirSync(path.join(dir, 'mail'));
  execFileSync('chown', ['vmail:vmail', path.join(dir, 'mail')]);
  writeFileSync(path.join(dir, 'masters'), 'oldadmin:{PLAIN}Master-pw-1\n');
  writeFileSync(path.join(dir, 'master.txt'), 'Master-pw-1\n');
  writeFileSync(path.join(dir, 'users'), '');
  writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = oldimap-${port}
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_master_user_separator = *
mail_location = maildir:${dir}/mail/%u/Maildir
mail_uid = vmail
mail_gid = vmail
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/masters
  master = yes
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/users
}
userdb {
  driver = static
  args = uid=vmail gid=vmail home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`,
  );
  // stdio ignored: the daemon keeps inherited pipes open, and execFileSync would wait on them
  execFileSync('dovecot', ['-c', conf], { stdio: 'ignore' });
});

afterAll(() => {
  try {
    const pid = readFileSync(path.join(dir, 'run', 'master.pid'), 'utf8').trim();
    process.kill(Number(pid), 'SIGTERM');
  } catch {
    // not started
  }
});

describe('./hopthu import-mail', () => {
  it('when an imported mailbox has mail on the old server, then it is pulled over IMAP and read with the old password; a second run skips it', async () => {
    const tag = `m${randomLetters(6)}`;
    const address = `vanthu${tag}@${DOMAIN}`;
    const password = `Cu-mail-${tag}!`;
    const subject = `Thư cũ từ hệ thống cũ ${tag}`;
    // the old server holds the mailbox and a message
    writeFileSync(path.join(dir, 'users'), `${address}:{PLAIN}unknown-to-us\n`);
    execFileSync('doveadm', ['-c', conf, 'save', '-u', address], {
      input: `From: cu@example.org\r\nTo: ${address}\r\nSubject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=\r\nMessage-ID: <old-${tag}@example.org>\r\n\r\nNoi dung.\r\n`,
    });
    // the account imported first
    const files = {
      agencies: path.join(dir, `agencies-${tag}.csv`),
      mailboxes: path.join(dir, `mailboxes-${tag}.csv`),
      addresses: path.join(dir, `addresses-${tag}.txt`),
    };
    writeFileSync(
      files.agencies,
      `abbreviation,name,parent_abbreviation,unit_code,unit_type\nvp${tag},Văn phòng ${tag},,,department\n`,
    );
    writeFileSync(
      files.mailboxes,
      `address,type,agency_abbreviation,family_name,middle_name,given_name,position,department,state,quota_mb,password_hash,aliases\n${address},agency,vp${tag},,,,,,active,,${zimbraSsha512(password, Buffer.from('12345678'))},\n`,
    );
    writeFileSync(files.addresses, `${address}\n`);
    const imported = await node([
      'scripts/import.ts',
      '--province',
      'bac-ninh',
      '--agencies',
      files.agencies,
      '--mailboxes',
      files.mailboxes,
      '--apply',
    ]);
    expect(imported.json).toMatchObject({ applied: true });

    const mailArgs = [
      'scripts/import-mail.ts',
      '--province',
      'bac-ninh',
      '--old-imap',
      `127.0.0.1:${port}`,
      '--master-user',
      'oldadmin',
      '--master-password-file',
      path.join(dir, 'master.txt'),
      '--addresses',
      files.addresses,
    ];
    const first = await node(mailArgs);
    expect(first.code).toBe(0);
    expect(first.json).toMatchObject({ mailboxes: 1, pulled: 1, failed: [] });
    expect(first.stderr).toMatch(/import-mail 1\/1/);
    expect(await messageIdsInInbox(address, password, tag)).toEqual([`<old-${tag}@example.org>`]);

    const second = await node(mailArgs);
    expect(second.json).toMatchObject({ pulled: 0, skippedAlreadyDone: 1 });
    expect(await messageIdsInInbox(address, password, tag)).toHaveLength(1);
  }, 180_000);
});
