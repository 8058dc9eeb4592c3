import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import { createManualClock } from '@hopthu/shared/clock';
import { createDb } from '@hopthu/shared/db';
import {
  type AnyEnvelope,
  buildEvent,
  type Envelope,
  type MailboxActivity,
  parseEvent,
  type ProvisioningCommand,
  type ProvisioningResult,
  Topics,
} from '@hopthu/shared/events';
import { localSecret } from '@hopthu/shared/local-env';
import { type ConsumerOptions, createMessageBus, type MessageBus } from '@hopthu/shared/kafka';
import { createLogger } from '@hopthu/shared/logger';
import {
  adminFetch,
  readStack,
  type ServiceProcess,
  useRunningOrStart,
  waitFor,
} from '@hopthu/shared/testing';
import { afterAll, beforeAll } from 'vitest';
import bcrypt from 'bcryptjs';
import { type FetchMessageObject, type FetchQueryObject, ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { createDoveadmClient } from '../src/adapters/dovecot/doveadm-client.ts';
import { createDovecotAdapter } from '../src/adapters/dovecot/dovecot-adapter.ts';
import type { VmailDb } from '../src/adapters/dovecot/vmail-repository.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
const _mainPath = path.join(here, '..', 'src', 'main.ts');

export const env = {
  provisionerUrl: process.env.PROVISIONER_URL ?? 'http://127.0.0.1:3003',
  adminToken: localSecret('ADMIN_TOKEN'),
  kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  vmailUrl: localSecret('VMAIL_DATABASE_URL'),
  doveadmUrl: process.env.DOVEADM_URL ?? 'http://127.0.0.1:8080/doveadm/v1',
  doveadmApiKey: localSecret('DOVEADM_API_KEY'),
  vmailRoot: process.env.VMAIL_ROOT ?? '/var/vmail',
  imapHost: process.env.IMAP_HOST ?? '127.0.0.1',
  imapPort: Number(process.env.IMAP_PORT ?? 1143),
  smtpHost: process.env.SMTP_HOST ?? '127.0.0.1',
  smtpPort: Number(process.env.SMTP_PORT ?? 2525),
};

export const TEST_DOMAIN = 'provtest.gov.vn';
export const logger = createLogger('provisioner-test', { level: process.env.TEST_LOG_LEVEL ?? 'warn' });

/** A fresh address on the test domain, unique per call. */
export const uniqueAddress = (tag = 'test') => `t${randomBytes(5).toString('hex')}.${tag}@${TEST_DOMAIN}`;

export async function hashPassword(password: string): Promise<string> {
  return `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`;
}

export const newPassword = () => `${randomBytes(9).toString('base64url')}aA1!`;

// ------------------------------------------------------------------ the provisioner process

export type ProvisionerProcess = ServiceProcess;

/** The provisioner on its port: the running one if it answers, else one started for this file. */
export const ensureProvisioner = () => useRunningOrStart('provisioner', env.provisionerUrl);

/** A caller of the admin API at `baseUrl` (the shared adminFetch with this file's token). */
export function admin(baseUrl = env.provisionerUrl, token = env.adminToken) {
  return <T = unknown>(method: string, p: string, body?: unknown) =>
    adminFetch<T>(baseUrl, method, p, body, token);
}

// ------------------------------------------------------------------ Kafka: commands in, results out

export type CommandEvent = Envelope<'vn.gov.hopthu.provisioning.command.v1'>;

export function buildCommand(
  overrides: Partial<ProvisioningCommand> & { address: string },
): ProvisioningCommand {
  return {
    commandId: randomUUID(),
    mailboxId: randomUUID(),
    generation: 1,
    action: 'create',
    domain: overrides.address.split('@')[1] ?? TEST_DOMAIN,
    requestId: randomUUID(),
    itemId: randomUUID(),
    ...overrides,
  };
}

export function commandEvent(data: ProvisioningCommand, id?: string): CommandEvent {
  return buildEvent('vn.gov.hopthu.provisioning.command.v1', data, {
    source: 'urn:hopthu:provisioner-test',
    subject: data.mailboxId,
    correlationId: randomUUID(),
    ...(id ? { id } : {}),
  });
}

export interface Bus {
  /** Publishes a command (or raw bytes) on the commands topic, keyed by mailbox id. */
  publish(event: CommandEvent): Promise<CommandEvent>;
  publishRaw(key: string, value: string): Promise<void>;
  /** Every result seen so far for the mailbox, in arrival order. */
  results(mailboxId: string): ProvisioningResult[];
  /** Activity reports (provisioning.activity.v1) seen so far for the mailbox, in arrival order. */
  activities(mailboxId: string): MailboxActivity[];
  /** Dead-letter messages seen so far, by message key: the original value and the headers. */
  deadLetters(key: string): { value: string; headers: Record<string, string> }[];
  /** Waits for the n-th result of a mailbox (1-based). */
  waitForResult(mailboxId: string, n?: number, timeoutMs?: number): Promise<ProvisioningResult>;
  close(): Promise<void>;
}

export async function connectBus(): Promise<Bus> {
  const bus = createMessageBus({
    brokers: env.kafkaBrokers.split(','),
    clientId: 'provisioner-test',
    logger,
  });
  const producer = await bus.createProducer();
  const seen = new Map<string, ProvisioningResult[]>();
  const dead = new Map<string, { value: string; headers: Record<string, string> }[]>();
  const activity = new Map<string, MailboxActivity[]>();
  const stopConsumer = await bus.runConsumer({
    groupId: `provisioner-test-${randomUUID()}`,
    topics: [Topics.provisioningResults, Topics.provisioningDeadLetter],
    fromBeginning: true,
    handle: async (message) => {
      if (message.topic === Topics.provisioningDeadLetter) {
        const k = message.key ?? '';
        dead.set(k, [
          ...(dead.get(k) ?? []),
          { value: message.value?.toString('utf8') ?? '', headers: message.headers },
        ]);
        return;
      }
      let event: AnyEnvelope;
      try {
        event = parseEvent(message.value);
      } catch {
        return;
      }
      if (event.type === 'vn.gov.hopthu.provisioning.activity.v1') {
        activity.set(event.data.mailboxId, [...(activity.get(event.data.mailboxId) ?? []), event.data]);
        return;
      }
      if (event.type !== 'vn.gov.hopthu.provisioning.result.v1') return;
      const list = seen.get(event.data.mailboxId) ?? [];
      list.push(event.data);
      seen.set(event.data.mailboxId, list);
    },
  });
  return {
    async publish(event) {
      await producer.send([
        {
          topic: Topics.provisioningCommands,
          key: event.data.mailboxId,
          value: JSON.stringify(event),
          headers: { 'ce-type': event.type, 'ce-id': event.id },
        },
      ]);
      return event;
    },
    publishRaw: (key, value) => producer.send([{ topic: Topics.provisioningCommands, key, value }]),
    results: (mailboxId) => [...(seen.get(mailboxId) ?? [])],
    deadLetters: (key) => [...(dead.get(key) ?? [])],
    activities: (mailboxId) => [...(activity.get(mailboxId) ?? [])],
    waitForResult: (mailboxId, n = 1, timeoutMs = 30_000) =>
      waitFor(async () => seen.get(mailboxId)?.[n - 1], {
        timeoutMs,
        what: `result #${n} for mailbox ${mailboxId}`,
      }),
    async close() {
      await stopConsumer();
      await producer.disconnect();
    },
  };
}

/**
 * A bus without Kafka whose consumer gets what the test hands it as one batch of one partition, so
 * the real inbox loop runs on it (packages/shared/src/inbox.ts: one transaction per batch,
 * `handleMany`, the fall-back one at a time when the batch fails, dead letters). `deliver` resolves
 * once the consumer has handled the whole batch.
 */
export function batchBus(topic: string = Topics.provisioningCommands) {
  let consumer: ConsumerOptions | undefined;
  let offset = 0;
  const bus: MessageBus = {
    createProducer: () => Promise.reject(new Error('batchBus: no producer')),
    runConsumer: async (options) => {
      consumer = options;
      return async () => {
        consumer = undefined;
      };
    },
    ensureTopics: async () => {},
    ping: async () => {},
  };
  return {
    bus,
    async deliver(events: readonly AnyEnvelope[]): Promise<void> {
      if (!consumer?.handleBatch) throw new Error('batchBus: no batch consumer is running');
      const messages = events.map((event) => ({
        topic,
        partition: 0,
        offset: String(offset++),
        key: event.subject ?? null,
        value: Buffer.from(JSON.stringify(event)),
        headers: { 'ce-type': event.type, 'ce-id': event.id },
      }));
      await consumer.handleBatch(messages, {
        heartbeat: async () => {},
        stopping: () => false,
        handledUpTo: async () => {},
      });
    },
  };
}

// ------------------------------------------------------------------ the mail server

function imapClient(address: string, password: string): ImapFlow {
  const client = new ImapFlow({
    host: env.imapHost,
    port: env.imapPort,
    secure: false,
    doSTARTTLS: false,
    auth: { user: address, pass: password },
    logger: false,
  });
  client.on('error', () => {}); // a kicked session emits an error; the test watches 'close'
  return client;
}

/** True when IMAP LOGIN succeeds (a refusal takes ~2 s: auth_failure_delay). */
export async function canLogin(address: string, password: string): Promise<boolean> {
  const client = imapClient(address, password);
  try {
    await client.connect();
  } catch (err) {
    if ((err as { authenticationFailed?: boolean }).authenticationFailed) return false;
    throw err;
  }
  await client.logout().catch(() => {});
  return true;
}

/** An open, logged-in IMAP session with INBOX selected; `closed` turns true when the server ends it. */
export async function openSession(address: string, password: string) {
  const client = imapClient(address, password);
  const state = { closed: false };
  client.on('close', () => {
    state.closed = true;
  });
  await client.connect();
  await client.mailboxOpen('INBOX');
  return {
    isClosed: () => state.closed,
    close: () => client.logout().catch(() => {}),
  };
}

/** Every message in INBOX, as `pick` reads it from what `query` fetched. */
async function fetchInbox<T>(
  address: string,
  password: string,
  query: FetchQueryObject,
  pick: (m: FetchMessageObject) => T,
): Promise<T[]> {
  const client = imapClient(address, password);
  await client.connect();
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const out: T[] = [];
      const status = await client.status('INBOX', { messages: true });
      if (status === false || !status.messages) return out;
      for await (const m of client.fetch('1:*', query)) out.push(pick(m));
      return out;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => {});
  }
}

export const inboxSubjects = (address: string, password: string): Promise<string[]> =>
  fetchInbox(address, password, { envelope: true }, (m) => m.envelope?.subject ?? '');

/** The raw text of every message in INBOX (a deleted mailbox given back must read its old mail). */
export const inboxSources = (address: string, password: string): Promise<string[]> =>
  fetchInbox(address, password, { source: true }, (m) => m.source?.toString('utf8') ?? '');

export async function sendTestMail(to: string, subject: string): Promise<void> {
  const transport = nodemailer.createTransport({
    host: env.smtpHost,
    port: env.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  try {
    await transport.sendMail({ from: `sender@${TEST_DOMAIN}`, to, subject, text: `test mail: ${subject}` });
  } finally {
    transport.close();
  }
}

/**
 * Sends through submission (STARTTLS + AUTH as `login`), as a mail client does: 'sent', or the
 * server's answer when refused.
 */
export async function submit(
  login: { address: string; password: string },
  from: string,
  to: string,
  subject: string,
): Promise<string> {
  const stack = readStack() as ReturnType<typeof readStack> & {
    submission: { host: string; port: number };
    tls: { caFile: string };
  };
  const transport = nodemailer.createTransport({
    host: stack.submission.host,
    port: stack.submission.port,
    secure: false,
    requireTLS: true,
    tls: { ca: readFileSync(stack.tls.caFile) },
    auth: { user: login.address, pass: login.password },
  });
  try {
    await transport.sendMail({ from, to, subject, text: 'Gửi từ ứng dụng thư.' });
    return 'sent';
  } catch (err) {
    return (err as { response?: string; message: string }).response ?? (err as Error).message;
  } finally {
    transport.close();
  }
}

/** Sends a test mail and waits until it is in the mailbox's INBOX (so the maildir exists). */
export async function deliverMail(address: string, password: string, subject: string): Promise<void> {
  await sendTestMail(address, subject);
  await waitFor(async () => (await inboxSubjects(address, password)).includes(subject), {
    timeoutMs: 20_000,
    what: `mail "${subject}" delivered to ${address}`,
  });
}

export async function queryVmail<T extends pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: env.vmailUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A test file's provisioner and bus: the running provisioner (or one started for the file) and a
 * Kafka connection, both closed after the file. `apply` publishes a command and waits for its
 * n-th result on that mailbox; `createMailbox` makes a mailbox with a known password.
 */
export function useProvisioner() {
  let provisioner: ProvisionerProcess | undefined;
  let bus: Bus | undefined;
  beforeAll(async () => {
    provisioner = await ensureProvisioner();
    bus = await connectBus();
  });
  afterAll(async () => {
    await bus?.close();
    await provisioner?.stop();
  });
  const t = {
    get bus(): Bus {
      if (!bus) throw new Error('useProvisioner: the bus is there only inside tests and hooks');
      return bus;
    },
    async apply(command: ProvisioningCommand, n = 1): Promise<ProvisioningResult> {
      await t.bus.publish(commandEvent(command));
      return t.bus.waitForResult(command.mailboxId, n);
    },
    async createMailbox(tag: string, overrides: Partial<ProvisioningCommand> = {}) {
      const address = uniqueAddress(tag);
      const password = newPassword();
      const create = buildCommand({ address, passwordHash: await hashPassword(password), ...overrides });
      const result = await t.apply(create, 1);
      if (result.outcome !== 'applied') throw new Error(`create ${address}: ${JSON.stringify(result)}`);
      return { address, password, mailboxId: create.mailboxId, command: create };
    },
  };
  return t;
}

/**
 * The real Dovecot adapter on a manual clock (starting now) with a retention folder of its own, for
 * tests that move a day forward: the retention and restore tests.
 */
export async function clockedAdapter(prefix: string) {
  const clock = createManualClock(new Date());
  const retentionDir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const adapter = createDovecotAdapter({
    vmail: createDb<VmailDb>(env.vmailUrl, { max: 1 }),
    doveadm: createDoveadmClient({ url: env.doveadmUrl, apiKey: env.doveadmApiKey, timeoutMs: 5000 }),
    vmailRoot: env.vmailRoot,
    retentionDir,
    renameAliasDays: 1,
    clock,
    logger,
  });
  return { clock, retentionDir, adapter };
}
