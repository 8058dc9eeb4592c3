// Helpers for the directory's integration tests: reach (or start) the running service, publish
// events as the requests service would, and collect what the directory publishes.
import { randomUUID } from 'node:crypto';
import {
  type AnyEnvelope,
  buildEvent,
  type Envelope,
  type ItemApproved,
  Topics,
} from '@hopthu/shared/events';
import { createMessageBus, type MessageBus, parseBrokers } from '@hopthu/shared/kafka';
import { createLogger } from '@hopthu/shared/logger';
import { adminFetch, ensureService, serviceUrl, waitFor } from '@hopthu/shared/testing';
import { afterAll, beforeAll } from 'vitest';

export const baseUrl = serviceUrl('directory');
const brokers = parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092');

/** Uses the running directory, or starts one for this test file; returns how to stop what was started. */
export const ensureDirectory = () => ensureService('directory', baseUrl);

export function randomLetters(n: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let out = '';
  for (let i = 0; i < n; i++) out += letters[Math.floor(Math.random() * letters.length)];
  return out;
}

export const admin = (method: string, url: string, body?: unknown) => adminFetch(baseUrl, method, url, body);

export async function registerTestAgency(overrides: Record<string, unknown> = {}) {
  const abbreviation = `t${randomLetters(9)}`;
  const res = await admin('POST', '/admin/agencies', {
    province: 'bac-ninh',
    name: `Sở Kiểm thử ${abbreviation}`,
    abbreviation,
    unitType: 'agency',
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`agency not registered: ${JSON.stringify(res.body)}`);
  return {
    abbreviation: (overrides.abbreviation as string | undefined) ?? abbreviation,
    agencyId: res.body.agencyId as string,
    officialMailbox: res.body.officialMailbox as string,
    officialMailboxId: res.body.officialMailboxId as string,
  };
}

/** Everything published on the directory's output topics, read by a consumer group of its own. */
export interface Collector {
  events: AnyEnvelope[];
  waitForEvent(match: (e: AnyEnvelope) => boolean, what: string): Promise<AnyEnvelope>;
  stop(): Promise<void>;
}

export async function startCollector(bus: MessageBus): Promise<Collector> {
  const events: AnyEnvelope[] = [];
  const stop = await bus.runConsumer({
    groupId: `directory-test-${randomUUID()}`,
    topics: [Topics.provisioningCommands, Topics.provisioningResults, Topics.directory],
    fromBeginning: true,
    handle: async (message) => {
      if (message.value) events.push(JSON.parse(message.value.toString('utf8')) as AnyEnvelope);
    },
  });
  return {
    events,
    waitForEvent: (match, what) =>
      waitFor(async () => events.find(match), { timeoutMs: 60_000, what, intervalMs: 100 }),
    stop,
  };
}

/** What a test file talks to: a bus to publish on and a collector of what the directory publishes. */
export interface DirectoryTest {
  bus: MessageBus;
  collector: Collector;
}

/**
 * Registers the file's beforeAll/afterAll: the running directory (or one started for the file), a
 * bus and a collector. The fields are set once beforeAll has run, so read them inside tests.
 */
export function useDirectory(): DirectoryTest {
  const t = {} as DirectoryTest;
  let stopDirectory: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    stopDirectory = await ensureDirectory();
    t.bus = createTestBus();
    t.collector = await startCollector(t.bus);
  });
  afterAll(async () => {
    await t.collector?.stop();
    await stopDirectory?.();
  });
  return t;
}

export function createTestBus(): MessageBus {
  return createMessageBus({
    brokers,
    clientId: 'directory-test',
    logger: createLogger('directory-test', { level: 'error' }),
  });
}

export function itemApproved(
  data: Partial<ItemApproved> & Pick<ItemApproved, 'agencyId' | 'operation' | 'mailboxType'>,
) {
  const requestId = data.requestId ?? randomUUID();
  return buildEvent(
    'vn.gov.hopthu.request.item.approved.v1',
    {
      requestId,
      itemId: randomUUID(),
      province: 'bac-ninh',
      approvedBy: 'test-approver',
      ...data,
    },
    { source: 'urn:hopthu:test', subject: requestId, correlationId: requestId },
  );
}

export async function publish(bus: MessageBus, events: AnyEnvelope[]) {
  const producer = await bus.createProducer();
  try {
    await producer.send(
      events.map((e) => ({
        topic: Topics.requests,
        key: (e.data as { requestId?: string }).requestId ?? e.id,
        value: JSON.stringify(e),
      })),
    );
  } finally {
    await producer.disconnect();
  }
}

export const isCommand = (e: AnyEnvelope): e is Envelope<'vn.gov.hopthu.provisioning.command.v1'> =>
  e.type === 'vn.gov.hopthu.provisioning.command.v1';
export const isResult = (e: AnyEnvelope): e is Envelope<'vn.gov.hopthu.provisioning.result.v1'> =>
  e.type === 'vn.gov.hopthu.provisioning.result.v1';

export const TEST_HASH = '{BLF-CRYPT}$2b$05$abcdefghijklmnopqrstuuS0m3H4shV4lu3F0rT3st1ngOnlyXXXXXX';

export function commandFor(collector: Collector, itemId: string) {
  return collector.waitForEvent(
    (e) => isCommand(e) && e.data.itemId === itemId,
    `command for item ${itemId}`,
  ) as Promise<Envelope<'vn.gov.hopthu.provisioning.command.v1'>>;
}

export function resultFor(collector: Collector, itemId: string) {
  return collector.waitForEvent(
    (e) => isResult(e) && e.data.itemId === itemId,
    `result for item ${itemId}`,
  ) as Promise<Envelope<'vn.gov.hopthu.provisioning.result.v1'>>;
}

export interface MailboxStateBody {
  mailboxId: string;
  address: string;
  state: string;
  generation: number;
  agencyId: string;
  aliases: string[];
  position?: string;
}

export async function mailboxState(id: string): Promise<MailboxStateBody> {
  return (await admin('GET', `/admin/mailboxes/${id}`)).body as unknown as MailboxStateBody;
}

export async function mailboxHistory(id: string) {
  return (await admin('GET', `/admin/mailboxes/${id}/history`)).body.items as {
    change: string;
    itemId: string | null;
    reason: string | null;
    details: Record<string, unknown>;
  }[];
}

/** Publishes a personal create and waits for its create command. */
export async function createPerson(
  bus: MessageBus,
  collector: Collector,
  agency: { agencyId: string },
  person: ItemApproved['person'],
  province = 'bac-ninh',
) {
  const create = itemApproved({
    province,
    agencyId: agency.agencyId,
    operation: 'create',
    mailboxType: 'personal',
    ...(person ? { person } : {}),
    passwordHash: TEST_HASH,
  });
  await publish(bus, [create]);
  return commandFor(collector, create.data.itemId);
}

/** Plays the provisioner: answers a command as applied. */
export async function confirmCommand(
  bus: MessageBus,
  command: Envelope<'vn.gov.hopthu.provisioning.command.v1'>,
) {
  const producer = await bus.createProducer();
  try {
    const result = buildEvent(
      'vn.gov.hopthu.provisioning.result.v1',
      {
        commandId: command.data.commandId,
        mailboxId: command.data.mailboxId,
        generation: command.data.generation,
        action: command.data.action,
        address: command.data.address,
        requestId: command.data.requestId,
        itemId: command.data.itemId,
        outcome: 'applied',
        attempts: 1,
      },
      { source: 'urn:hopthu:test-provisioner', subject: command.data.mailboxId },
    );
    await producer.send([
      { topic: Topics.provisioningResults, key: command.data.mailboxId, value: JSON.stringify(result) },
    ]);
  } finally {
    await producer.disconnect();
  }
}
