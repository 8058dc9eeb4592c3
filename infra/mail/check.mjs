// hopthu: end-to-end check of the local mail stack (run after infra_up):
//   node infra/mail/check.mjs
// Creates a domain + mailbox in vmail (bcrypt cost 5, as the provisioner does), logs in
// over IMAP, sends via SMTP and waits for delivery, checks an alias, the EHLO SIZE,
// relay refusal, suspension and the doveadm HTTP API; then removes what it created.
// Env: VMAIL_DATABASE_URL, IMAP_PORT, SMTP_PORT, DOVEADM_URL, DOVEADM_API_KEY.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import net from 'node:net';
import { rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { localSecret } from '../../packages/shared/src/local-env.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const req = createRequire(path.join(root, 'package.json'));
const pg = req('pg');
const bcrypt = req('bcryptjs');
const { ImapFlow } = req('imapflow');
const nodemailer = req('nodemailer');

const DB = localSecret('VMAIL_DATABASE_URL'); // the environment's, else var/secrets.env's
const IMAP_PORT = Number(process.env.IMAP_PORT ?? 1143);
const SMTP_PORT = Number(process.env.SMTP_PORT ?? 2525);
const DOVEADM_URL = process.env.DOVEADM_URL ?? 'http://127.0.0.1:8080/doveadm/v1';
const DOVEADM_KEY = localSecret('DOVEADM_API_KEY');
const SIZE = Number(process.env.HOPTHU_MESSAGE_SIZE_LIMIT ?? 20971520);

const tag = randomUUID().slice(0, 8);
const domain = `check-${tag}.hopthu.test`;
const user = `alice@${domain}`;
const aliasAddr = `vanthu@${domain}`;
const password = `pw-${tag}`;
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
};

const imapLogin = async (pass = password) => {
  const c = new ImapFlow({
    host: '127.0.0.1',
    port: IMAP_PORT,
    secure: false,
    auth: { user, pass },
    logger: false,
  });
  try {
    await c.connect();
    return c;
  } catch {
    return null;
  }
};
const waitFor = async (fn, ms = 10000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
};
const smtpDialog = (lines) =>
  new Promise((resolve, reject) => {
    const s = net.connect(SMTP_PORT, '127.0.0.1');
    let buf = '';
    const q = [...lines];
    s.setEncoding('utf8');
    s.on('data', (d) => {
      buf += d;
      // a reply is complete when its last line is "NNN text" (not "NNN-text")
      const last = buf.endsWith('\r\n') ? buf.trimEnd().split('\r\n').pop() : '';
      if (!/^\d{3} /.test(last ?? '')) return;
      if (q.length) s.write(`${q.shift()}\r\n`);
      else s.end();
    });
    s.on('end', () => resolve(buf));
    s.on('error', reject);
    setTimeout(() => s.destroy(new Error('smtp timeout')), 10000);
  });
const doveadm = async (cmd, params) => {
  const res = await fetch(DOVEADM_URL, {
    method: 'POST',
    headers: {
      Authorization: `X-Dovecot-API ${Buffer.from(DOVEADM_KEY).toString('base64')}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify([[cmd, params, 't1']]),
  });
  return { status: res.status, body: await res.json() };
};

const db = new pg.Client({ connectionString: DB });
await db.connect();
const transport = nodemailer.createTransport({
  host: '127.0.0.1',
  port: SMTP_PORT,
  secure: false,
  ignoreTLS: true,
});
try {
  const hash = `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`;
  await db.query('INSERT INTO domain(domain) VALUES ($1)', [domain]);
  await db.query(
    'INSERT INTO mailbox(username, domain, password, quota_bytes, maildir, generation) VALUES ($1,$2,$3,$4,$5,1)',
    [user, domain, hash, 10 * 1024 * 1024, `${domain}/alice/`],
  );
  await db.query('INSERT INTO alias(address, goto, domain) VALUES ($1,$2,$3)', [aliasAddr, user, domain]);

  let t = Date.now();
  const c = await imapLogin();
  check(c !== null, `IMAP login on ${IMAP_PORT} (${Date.now() - t} ms)`);
  check((await imapLogin('wrong')) === null, 'wrong password refused');

  await transport.sendMail({
    from: 'test@example.org',
    to: user,
    subject: `direct ${tag}`,
    text: 'xin chào',
  });
  await transport.sendMail({
    from: 'test@example.org',
    to: aliasAddr,
    subject: `alias ${tag}`,
    text: 'qua bí danh',
  });
  t = Date.now();
  const subjects = new Set();
  const arrived = await waitFor(async () => {
    await c.mailboxOpen('INBOX');
    for await (const m of c.fetch('1:*', { envelope: true })) subjects.add(m.envelope.subject);
    return subjects.has(`direct ${tag}`) && subjects.has(`alias ${tag}`);
  });
  check(subjects.has(`direct ${tag}`), 'SMTP 2525 -> INBOX');
  check(subjects.has(`alias ${tag}`), `alias ${aliasAddr} -> ${user} (${arrived ? Date.now() - t : '-'} ms)`);

  // expired alias is ignored
  await db.query("UPDATE alias SET expires_at = now() - interval '1 minute' WHERE address = $1", [aliasAddr]);
  const expired = await transport
    .sendMail({ from: 'test@example.org', to: aliasAddr, subject: 'x', text: 'x' })
    .then(
      () => 'accepted',
      (e) => e.responseCode,
    );
  check(expired === 550, `expired alias refused (${expired})`);

  const ehlo = await smtpDialog(['EHLO check.test', 'QUIT']);
  check(ehlo.includes(`250-SIZE ${SIZE}`), `EHLO SIZE ${SIZE}`);
  const relay = await smtpDialog([
    'HELO check.test',
    'MAIL FROM:<a@example.org>',
    'RCPT TO:<b@not-ours.example>',
    'QUIT',
  ]);
  check(/554 5\.7\.1|Relay access denied/.test(relay), 'relay to a foreign domain refused');

  const q = await doveadm('quotaGet', { user });
  const storage = q.body?.[0]?.[1]?.find?.((r) => r.type === 'STORAGE');
  check(
    q.status === 200 && storage?.limit === '10240',
    `doveadm HTTP quotaGet (limit ${storage?.limit} KiB)`,
  );

  const ll = await db.query('SELECT last_login FROM mailbox WHERE username=$1', [user]);
  check(ll.rows[0]?.last_login != null, 'last_login written back');

  await db.query('UPDATE mailbox SET active=false, generation=2 WHERE username=$1', [user]);
  check((await imapLogin()) === null, 'suspended mailbox cannot log in');
  const kick = await doveadm('kick', { mask: [user] });
  check(kick.status === 200, 'doveadm HTTP kick');
  await c.logout().catch(() => {});
} catch (e) {
  check(false, `error: ${e.stack ?? e}`);
} finally {
  await db.query('DELETE FROM domain WHERE domain=$1', [domain]).catch(() => {});
  await db.query('DELETE FROM last_login WHERE username=$1', [user]).catch(() => {});
  await rm(`/var/vmail/${domain}`, { recursive: true, force: true }).catch(() => {});
  await db.end();
  transport.close();
}
console.log(`${failures === 0 ? 'PASS' : 'FAIL'} mail stack check`);
process.exit(failures === 0 ? 0 : 1);
