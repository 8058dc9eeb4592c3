// Brute force on IMAP and SMTP AUTH (issue 13) with real clients: imapflow over IMAPS and nodemailer
// on submission, both trusting the local CA. Dovecot's brake (a passdb chain over vmail.auth_failure,
// docs/mail-server.md "Brute force") refuses an address after max_per_address failures, or a client
// after max_per_client, whatever the password, and says how long; the right password works again
// once the window has passed (the test ages the failures instead of waiting 15 minutes) or once a new
// password is written. Postfix refuses a client's 31st AUTH within a minute, loopback included.
//
// A "client" here is an address of 127.0.0.0/8 other than 127.0.0.1 (the host's own services, never
// braked as a client): submission binds to it (nodemailer localAddress), IMAP announces it through
// the ID command, as a proxy on the mail host does (login_trusted_networks = 127.0.0.1).
import { readFileSync } from 'node:fs';
import { readStack } from '@hopthu/shared/testing';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCommand,
  hashPassword,
  newPassword,
  queryVmail,
  TEST_DOMAIN,
  useProvisioner,
} from './helpers.ts';

const t = useProvisioner();
const stack = readStack() as ReturnType<typeof readStack> & {
  imaps: { host: string; port: number };
  submission: { host: string; port: number };
  tls: { caFile: string };
};
const ca = readFileSync(stack.tls.caFile);

interface Brake {
  maxPerAddress: number;
  maxPerClient: number;
  windowSeconds: number;
}
let brake: Brake;

/**
 * Loopback client addresses of this run (a random 127.x.y.0/24, so a run within a minute of another
 * meets neither its failures nor Postfix's AUTH count), each used by one test only.
 */
const net = `127.${1 + Math.floor(Math.random() * 254)}.${Math.floor(Math.random() * 256)}`;
const clients = {
  address: `${net}.1`,
  attacker: `${net}.2`,
  bystander: `${net}.3`,
  rate: `${net}.4`,
  reset: `${net}.5`,
};
const forgetClients = () =>
  queryVmail('DELETE FROM auth_failure WHERE client_ip = ANY($1::text[])', [Object.values(clients)]);

beforeAll(async () => {
  const [row] = await queryVmail<{ max_per_address: number; max_per_client: number; window_seconds: number }>(
    'SELECT max_per_address, max_per_client, window_seconds FROM auth_brake',
  );
  if (!row) throw new Error('vmail.auth_brake has no row: apply infra/mail/vmail-schema.sql');
  brake = {
    maxPerAddress: row.max_per_address,
    maxPerClient: row.max_per_client,
    windowSeconds: row.window_seconds,
  };
  await forgetClients();
});
afterAll(forgetClients);

type Attempt = { ok: true } | { ok: false; text: string };

/** An IMAPS login from `client` (announced with ID x-originating-ip): ok, or the server's refusal. */
async function imapLogin(user: string, pass: string, client: string): Promise<Attempt> {
  const imap = new ImapFlow({
    host: stack.imaps.host,
    port: stack.imaps.port,
    secure: true,
    tls: { ca },
    auth: { user, pass },
    clientInfo: { name: 'hopthu-test', 'x-originating-ip': client },
    logger: false,
  });
  imap.on('error', () => {});
  try {
    await imap.connect();
    await imap.logout();
    return { ok: true };
  } catch (err) {
    const e = err as {
      authenticationFailed?: boolean;
      responseText?: string;
      response?: string;
      message: string;
    };
    if (!e.authenticationFailed) throw err;
    return { ok: false, text: e.responseText ?? e.response ?? e.message };
  }
}

/** STARTTLS + AUTH on submission from `client` (a bound loopback address): ok, or the server's reply. */
async function smtpAuth(user: string, pass: string, client: string): Promise<Attempt> {
  const transport = nodemailer.createTransport({
    host: stack.submission.host,
    port: stack.submission.port,
    localAddress: client,
    secure: false,
    requireTLS: true,
    tls: { ca },
    auth: { user, pass },
  });
  try {
    await transport.verify();
    return { ok: true };
  } catch (err) {
    const e = err as { response?: string; message: string };
    return { ok: false, text: e.response ?? e.message };
  } finally {
    transport.close();
  }
}

const wrong = (i: number) => `Sai${i}!MatKhau${i}`;
const TOO_MANY = /Too many failed logins, retry in \d+ s/;

describe('the brute-force brake on IMAP and SMTP AUTH', () => {
  it('when one address gets max_per_address wrong passwords over IMAP and SMTP, then both refuse even its right password naming the wait, other mailboxes are untouched, and once the window has passed the right password works again', async () => {
    const box = await t.createMailbox('brake-addr');
    const other = await t.createMailbox('brake-other');
    const client = clients.address;

    // one counter for both protocols: half the guesses over IMAP, half over SMTP
    const guesses = await Promise.all(
      Array.from({ length: brake.maxPerAddress }, (_, i) =>
        i % 2 === 0 ? imapLogin(box.address, wrong(i), client) : smtpAuth(box.address, wrong(i), client),
      ),
    );
    expect(guesses.every((g) => !g.ok)).toBe(true);

    const imap = await imapLogin(box.address, box.password, client);
    expect(imap).toMatchObject({ ok: false, text: expect.stringMatching(TOO_MANY) });
    expect(await smtpAuth(box.address, box.password, client)).toMatchObject({
      ok: false,
      text: expect.stringMatching(/^535 .*Too many failed logins/),
    });
    // the refusal is the same for a wrong password: it tells nothing about the password
    expect(await imapLogin(box.address, wrong(99), client)).toMatchObject({
      ok: false,
      text: expect.stringMatching(TOO_MANY),
    });
    // only that address is braked, not the client (below its own limit) nor other mailboxes
    expect(await imapLogin(other.address, other.password, client)).toEqual({ ok: true });
    expect(await smtpAuth(other.address, other.password, client)).toEqual({ ok: true });

    // the window passes (its failures made older by the window, as the clock would)
    await queryVmail('UPDATE auth_failure SET at = at - make_interval(secs => $2) WHERE username = $1', [
      box.address,
      brake.windowSeconds,
    ]);
    expect(await imapLogin(box.address, box.password, client)).toEqual({ ok: true });
    expect(await smtpAuth(box.address, box.password, client)).toEqual({ ok: true });
  });

  it('when one client gets max_per_client failed logins across addresses, then IMAP and SMTP refuse it for every address while another client logs in to the same mailbox', async () => {
    const box = await t.createMailbox('brake-client');
    const attacker = clients.attacker;

    // a spray over addresses that mostly do not exist: each counts for the client
    const sprayed = await Promise.all(
      Array.from({ length: brake.maxPerClient }, (_, i) =>
        imapLogin(`ghost${i}.${net.replaceAll('.', '-')}@${TEST_DOMAIN}`, wrong(i), attacker),
      ),
    );
    expect(sprayed.every((g) => !g.ok)).toBe(true);

    expect(await imapLogin(box.address, box.password, attacker)).toMatchObject({
      ok: false,
      text: expect.stringMatching(TOO_MANY),
    });
    expect(await smtpAuth(box.address, box.password, attacker)).toMatchObject({
      ok: false,
      text: expect.stringMatching(/^535 .*Too many failed logins/),
    });
    expect(await imapLogin(box.address, box.password, clients.bystander)).toEqual({ ok: true });
    expect(await smtpAuth(box.address, box.password, clients.bystander)).toEqual({ ok: true });
  });

  it('when a braked mailbox gets a new password (the holder changed it on the page), then the new password works at once', async () => {
    const box = await t.createMailbox('brake-reset');
    const client = clients.reset;
    await Promise.all(
      Array.from({ length: brake.maxPerAddress }, (_, i) => imapLogin(box.address, wrong(i), client)),
    );
    expect(await imapLogin(box.address, box.password, client)).toMatchObject({
      ok: false,
      text: expect.stringMatching(TOO_MANY),
    });

    const next = newPassword();
    const change = buildCommand({
      address: box.address,
      mailboxId: box.mailboxId,
      generation: 2,
      action: 'set_password',
      passwordHash: await hashPassword(next),
    });
    expect(await t.apply(change, 2)).toMatchObject({ outcome: 'applied' });
    expect(await imapLogin(box.address, next, client)).toEqual({ ok: true });
    expect(await smtpAuth(box.address, next, client)).toEqual({ ok: true });
  });

  it('when one client sends more than 30 AUTH commands within a minute to submission, then Postfix refuses the next, loopback included', async () => {
    const box = await t.createMailbox('brake-rate');
    const client = clients.rate;
    // all at once, so that even a slow machine sends them within the minute
    const first = await Promise.all(
      Array.from({ length: 30 }, () => smtpAuth(box.address, box.password, client)),
    );
    expect(first).toEqual(Array.from({ length: 30 }, () => ({ ok: true })));
    const refused = await smtpAuth(box.address, box.password, client);
    expect(refused).toMatchObject({
      ok: false,
      text: expect.stringMatching(/^450 4\.7\.1 Error: too many AUTH commands/),
    });
    // IMAP is not Postfix's to limit: the same client and password still log in there
    expect(await imapLogin(box.address, box.password, client)).toEqual({ ok: true });
  });
});
