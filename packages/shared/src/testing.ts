// Helpers for integration tests: wait on conditions (never fixed sleeps) and find the stack that
// `./hopthu up` / `./hopthu test` started.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type AgencyClient, createAgencyClient } from './agency-client.ts';
import { adminFetch, serviceUrl } from './test-services.ts';

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

/** The id of the mailbox at an address, from the directory's admin search; throws naming it when none. */
export async function mailboxIdAt(address: string): Promise<string> {
  const found = await adminFetch(
    serviceUrl('directory'),
    'GET',
    `/admin/directory/search?address=${encodeURIComponent(address)}`,
  );
  const items = (found.body.items ?? []) as { mailboxId?: string; address?: string }[];
  const id = items.find((m) => m.address === address)?.mailboxId;
  if (!id) throw new Error(`no mailbox ${address}: ${JSON.stringify(found.body)}`);
  return id;
}

/**
 * Submits a request the agency API must refuse as invalid, and checks that it was refused for the
 * field given (400 validation_failed) and that nothing was stored under its idempotency key: the same
 * key with another body is then a new request (here one for an address the agency does not own,
 * 403), not a replay. Returns the field's error for the caller's own checks.
 */
export async function expectRefusedNothingStored(
  agency: AgencyClient,
  body: Record<string, unknown>,
  field: string,
): Promise<{ field: string; message: { vi: string; en: string } }> {
  const key = randomUUID();
  const refused = await agency.submit(body, key);
  const problem = refused.body as unknown as {
    code?: string;
    errors?: { field: string; message: { vi: string; en: string } }[];
  };
  if (refused.status !== 400 || problem.code !== 'validation_failed')
    throw new Error(`expected 400 validation_failed, got ${refused.status}: ${JSON.stringify(refused.body)}`);
  const error = problem.errors?.find((e) => e.field === field);
  if (!error) throw new Error(`no error for ${field}: ${JSON.stringify(problem.errors)}`);
  const other = await agency.submit(
    { ...body, items: [{ operation: 'suspend', address: 'khongco@bacninh.gov.vn' }] },
    key,
  );
  if (other.status !== 403)
    throw new Error(`the refused request was stored under its key: the same key answered ${other.status}`);
  return error;
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
