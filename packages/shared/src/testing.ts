// Helpers for integration tests: wait on conditions (never fixed sleeps) and find the stack that
// `./hopthu up` / `./hopthu test` started.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type AgencyClient, createAgencyClient } from './agency-client.ts';

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined && v !== null && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 200));
  }
  throw new Error(
    `timed out waiting for ${options.what ?? 'condition'}${lastError ? `: ${String(lastError)}` : ''}`,
  );
}

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');

export interface StackInfo {
  domain: string;
  imap: { host: string; port: number };
  smtp: { host: string; port: number };
  kafkaBrokers: string;
  services: Record<string, string>;
}

export interface DemoClient {
  agencyId: string;
  abbreviation: string;
  clientId: string;
  privateJwk: Record<string, unknown>;
  tokenUrl: string;
  apiUrl: string;
  parentAgencyId?: string;
  officialMailbox?: { address: string; password: string };
}

export function readStack(): StackInfo {
  return JSON.parse(readFileSync(path.join(repoRoot, 'var/demo/stack.json'), 'utf8'));
}

export function readDemoClients(): DemoClient[] {
  return JSON.parse(readFileSync(path.join(repoRoot, 'var/demo/clients.json'), 'utf8'));
}

/**
 * A demo agency the seed registered (`stttt`, `ttcntttt`…) and an agency API client signed in as
 * it; throws, naming it, when the stack was seeded without it.
 */
export function demoAgency(abbreviation: string): DemoClient & { client: AgencyClient } {
  const demo = readDemoClients().find((c) => c.abbreviation === abbreviation);
  if (!demo) throw new Error(`the demo agency ${abbreviation} is not seeded (var/demo/clients.json)`);
  return { ...demo, client: createAgencyClient(demo) };
}

/** Lower-case letters only (abbreviations and local parts take no digits), random per call. */
export const uniqueLetters = (length = 8) =>
  randomUUID().replaceAll('-', '').replace(/[0-9]/g, '').slice(0, length).padEnd(length, 'q');

export {
  type AgencyClient,
  type AgencyClientConfig,
  type AssertionOptions,
  clientAssertion,
  countInInbox,
  createAgencyClient,
  FINISHED_REQUEST_STATES,
  imapLoginWorks,
  messageIdsInInbox,
  type RequestItemView,
  type RequestView,
  requestToken,
  type SubmitAnswer,
} from './agency-client.ts';

export {
  type AdminAnswer,
  adminFetch,
  createSqlPool,
  ensureService,
  type ServiceProcess,
  serviceDatabaseUrl,
  serviceUrl,
  startServiceProcess,
  testAdminToken,
  useRunningOrStart,
} from './test-services.ts';

export { createScratchDatabase, type ScratchDatabase } from './scratch-database.ts';

export { adminGuardAnswers, type TestOperators, trustTestOperators } from './test-operators.ts';
export { type ConsumerHarness, createConsumerHarness } from './consumer-harness.ts';
