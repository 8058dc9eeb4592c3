import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { localSecret } from '@hopthu/shared/local-env';
import type { AnyEnvelope, Topic } from '@hopthu/shared/events';
import { createMessageBus, type BusProducer } from '@hopthu/shared/kafka';
import { createLogger } from '@hopthu/shared/logger';
import {
  adminFetch,
  createScratchDatabase as createScratchDatabaseFor,
  type ServiceProcess,
  startServiceProcess,
  useRunningOrStart,
} from '@hopthu/shared/testing';
import bcrypt from 'bcryptjs';
import { ImapFlow } from 'imapflow';
import pg from 'pg';
import type { NotifierDb } from '../src/db/schema.ts';
import { planDeadlineTimers } from '../src/domain/deadlines/deadline-timers.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
export const mainPath = path.join(here, '..', 'src', 'main.ts');
export const migrationsPath = path.join(here, '..', 'migrations');

export const env = {
  notifierUrl: process.env.NOTIFIER_URL ?? 'http://127.0.0.1:3004',
  adminToken: localSecret('ADMIN_TOKEN'),
  kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  vmailUrl: localSecret('VMAIL_DATABASE_URL'),
  imapHost: process.env.IMAP_HOST ?? '127.0.0.1',
  imapPort: Number(process.env.IMAP_PORT ?? 1143),
};

export const logger = createLogger('notifier-test', { level: process.env.TEST_LOG_LEVEL ?? 'warn' });

/** A caller of the admin API at `baseUrl` (the shared adminFetch with this file's token). */
export function admin(baseUrl: string, token = env.adminToken) {
  return <T = unknown>(method: string, p: string, body?: unknown) =>
    adminFetch<T>(baseUrl, method, p, body, token);
}

export type NotifierProcess = ServiceProcess;

/** Starts a notifier of its own on `url` whose clock is `clockAt` (test/clocked-notifier.ts), with more environment. */
export const startNotifierProcess = (extraEnv: Record<string, string>, url: string, clockAt: Date) =>
  startServiceProcess('notifier', {
    url,
    entry: 'services/notifier/test/clocked-notifier.ts',
    env: { ...extraEnv, TEST_CLOCK_OFFSET_MS: String(clockAt.getTime() - Date.now()) },
  });

/** The notifier on its port: the running one if it answers, else one started for this test file. */
export const ensureNotifier = () => useRunningOrStart('notifier', env.notifierUrl);

/**
 * Receipt and due times on the real clock (for the running notifier) whose half-time warning is
 * due already while the deadline is still open (due in an hour). The notifier moves a warning into
 * office hours, so a fixed "received 3 h ago" gives none in the evening or at a weekend: walk back
 * from now until the plan the notifier makes has a half-time warning at or before now.
 */
export function halfTimePassed(now = Date.now()): { receivedAt: Date; dueAt: Date } {
  const due = now + 3600_000;
  for (let back = 60_000; back < 14 * 86_400_000; back += 15 * 60_000) {
    const received = 2 * (now - back) - due;
    const half = planDeadlineTimers(new Date(received), new Date(due)).find((t) => t.kind === 'half_time');
    if (half && half.fireAt.getTime() <= now) return { receivedAt: new Date(received), dueAt: new Date(due) };
  }
  throw new Error('no receipt time in the last two weeks gives a half-time warning that is due');
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  await once(srv, 'close');
  return port;
}

export async function createPublisher(): Promise<{
  publish(topic: Topic, key: string, event: AnyEnvelope): Promise<void>;
  close(): Promise<void>;
}> {
  const bus = createMessageBus({ brokers: env.kafkaBrokers.split(','), clientId: 'notifier-test', logger });
  const producer: BusProducer = await bus.createProducer();
  return {
    publish: (topic, key, event) =>
      producer.send([
        { topic, key, value: JSON.stringify(event), headers: { 'ce-type': event.type, 'ce-id': event.id } },
      ]),
    close: () => producer.disconnect(),
  };
}

export const TEST_MAIL_DOMAIN = 'notifier-test.bacninh.gov.vn';

/** A throw-away mailbox straight in vmail (as the provisioner would write it). */
export async function createTestMailbox(prefix: string): Promise<{ address: string; password: string }> {
  const local = `${prefix}-${randomUUID().slice(0, 8)}`;
  const address = `${local}@${TEST_MAIL_DOMAIN}`;
  const password = randomUUID();
  const hash = `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`;
  const client = new pg.Client({ connectionString: env.vmailUrl });
  await client.connect();
  try {
    await client.query('INSERT INTO domain (domain) VALUES ($1) ON CONFLICT DO NOTHING', [TEST_MAIL_DOMAIN]);
    await client.query('INSERT INTO mailbox (username, domain, password, maildir) VALUES ($1, $2, $3, $4)', [
      address,
      TEST_MAIL_DOMAIN,
      hash,
      `${TEST_MAIL_DOMAIN}/${local}/`,
    ]);
  } finally {
    await client.end();
  }
  return { address, password };
}

export async function deleteTestMailbox(address: string): Promise<void> {
  const client = new pg.Client({ connectionString: env.vmailUrl });
  await client.connect();
  try {
    await client.query('DELETE FROM mailbox WHERE username = $1', [address]);
  } finally {
    await client.end();
  }
}

export interface FetchedMail {
  subject: string;
  messageId: string;
  source: string;
}

/** Every message in the mailbox's INBOX, decoded (subject from the envelope, raw source as UTF-8). */
export async function readInbox(box: { address: string; password: string }): Promise<FetchedMail[]> {
  const client = new ImapFlow({
    host: env.imapHost,
    port: env.imapPort,
    secure: false,
    doSTARTTLS: false,
    auth: { user: box.address, pass: box.password },
    logger: false,
  });
  await client.connect();
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const out: FetchedMail[] = [];
      const status = await client.status('INBOX', { messages: true });
      const count = status ? status.messages : 0;
      if (!count) return out;
      for await (const m of client.fetch('1:*', { envelope: true, source: true })) {
        out.push({
          subject: m.envelope?.subject ?? '',
          messageId: m.envelope?.messageId ?? '',
          source: m.source?.toString('utf8') ?? '',
        });
      }
      return out;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => {});
  }
}

/** Decodes a quoted-printable or base64 text/plain body of a single-part message. */
export function decodeTextBody(source: string): string {
  const [head = '', ...rest] = source.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(head))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** A notifier database of this test file's own, cloned from the migrated template (dropped by `drop`). */
export const createScratchDatabase = () =>
  createScratchDatabaseFor<NotifierDb>({ service: 'notifier', migrationsPath });
