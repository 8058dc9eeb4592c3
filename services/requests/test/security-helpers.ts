// Helpers for the requests service's security and validation tests: reach (or start) the running
// service, sign client assertions (good and bad), call the agency API, and count what a call wrote.
import { randomUUID } from 'node:crypto';
import {
  type AgencyClient,
  type AssertionOptions,
  adminFetch,
  clientAssertion,
  createAgencyClient,
  createSqlPool,
  type DemoClient,
  ensureService,
  readDemoClients,
  requestToken,
  serviceDatabaseUrl,
  serviceUrl,
} from '@hopthu/shared/testing';
import { exportJWK, generateKeyPair } from 'jose';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

export const baseUrl = serviceUrl('requests');
export const tokenUrl = `${baseUrl}/oauth/token`;
export const apiUrl = `${baseUrl}/v1`;

/** Uses the running requests service (waiting until it is ready), or starts one for this file. */
export const ensureRequests = () => ensureService('requests', baseUrl);

/**
 * Registers the file's beforeAll/afterAll: the requests service running, and the test database
 * pool closed at the end. A file's own beforeAll, registered after this, runs after it.
 */
export function useRequests(): void {
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    stop = await ensureRequests();
  });
  afterAll(async () => {
    await closeDb();
    await stop?.();
  });
}

export function demo(abbreviation: 'stttt' | 'snv' | 'ttcntttt'): DemoClient {
  const client = readDemoClients().find((c) => c.abbreviation === abbreviation);
  if (!client) throw new Error(`demo client ${abbreviation} missing: run ./hopthu up`);
  return client;
}

export interface TestClient {
  clientId: string;
  privateJwk: Record<string, unknown>;
}

/** A client assertion for this service's token URL; `options` make bad ones for the tests. */
export function signAssertion(o: TestClient & AssertionOptions): Promise<string> {
  return clientAssertion({ ...o, tokenUrl }, o);
}

export const postToken = (assertion: string) => requestToken(tokenUrl, assertion);

const clients = new Map<string, AgencyClient>();

/** A fresh access token for a client (kept until shortly before it expires). */
export async function accessToken(client: TestClient & { agencyId?: string }) {
  let agency = clients.get(client.clientId);
  if (!agency) {
    agency = createAgencyClient({ agencyId: '', ...client, tokenUrl, apiUrl });
    clients.set(client.clientId, agency);
  }
  return agency.accessToken();
}

export async function newKeyPair(kid = `k-${randomUUID()}`) {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' } as Record<string, unknown>,
  };
}

export const admin = (method: string, url: string, body?: unknown) => adminFetch(baseUrl, method, url, body);

/** Registers a new API client with a fresh key for an agency; returns it with its private key. */
export async function registerClient(agencyId: string) {
  const { publicJwk, privateJwk } = await newKeyPair();
  const clientId = `test-${randomUUID()}`;
  const res = await admin('POST', '/admin/clients', {
    clientId,
    agencyId,
    name: 'test client',
    jwk: publicJwk,
  });
  if (res.status !== 201) throw new Error(`register client: ${res.status} ${JSON.stringify(res.body)}`);
  return { clientId, agencyId, privateJwk };
}

/** An agency known only to the replica, with an API client of its own and that client's token. */
export async function replicaAgencyClient() {
  const agencyId = await replicaOnlyAgency();
  const client = await registerClient(agencyId);
  return { agencyId, clientId: client.clientId, token: await accessToken(client) };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & {
    errors?: { field: string; message: { vi: string; en: string } }[];
    code?: string;
  };
}

export async function call(
  method: string,
  url: string,
  options: {
    token?: string;
    body?: unknown;
    rawBody?: string | Buffer;
    headers?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Buffer | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${url}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let parsed: Answer['body'] = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

export function submit(token: string, body: unknown, idempotencyKey: string = randomUUID()) {
  return call('POST', '/v1/requests', { token, body, headers: { 'idempotency-key': idempotencyKey } });
}

export const uniqueReference = () => `${Math.floor(Math.random() * 1e6)}/T-${randomUUID().slice(0, 8)}`;

const SYLLABLES = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Giang',
  'Hà',
  'Khánh',
  'Linh',
  'Minh',
  'Nga',
  'Phúc',
  'Quân',
];
const pick = () => SYLLABLES[Math.floor(Math.random() * SYLLABLES.length)]!;

export function person(overrides: Record<string, unknown> = {}) {
  return {
    familyName: 'Thử',
    middleName: pick(),
    givenName: `${pick()}${String.fromCharCode(97 + Math.floor(Math.random() * 26))}`,
    position: 'Chuyên viên',
    department: 'Phòng Thử nghiệm',
    ...overrides,
  };
}

export function requestBody(agencyId: string, items: unknown[], overrides: Record<string, unknown> = {}) {
  return {
    agencyId,
    requester: { fullName: 'Nguyễn Thị Thử', position: 'Văn thư', phone: '0222 000 000' },
    reference: { number: uniqueReference(), date: '2026-11-20' },
    items,
    ...overrides,
  };
}

let pool: pg.Pool | undefined;
export function db(): pg.Pool {
  pool ??= createSqlPool(serviceDatabaseUrl('requests'));
  return pool;
}
export async function closeDb() {
  await pool?.end();
  pool = undefined;
}

/** Rows a request with this reference number left: requests, items, and outbox events naming it. */
export async function writesFor(referenceNumber: string) {
  const requests = await db().query(
    "SELECT count(*)::int AS n FROM requests WHERE reference->>'number' = $1",
    [referenceNumber],
  );
  const items = await db().query(
    "SELECT count(*)::int AS n FROM request_items i JOIN requests r ON r.id = i.request_id WHERE r.reference->>'number' = $1",
    [referenceNumber],
  );
  const outbox = await db().query('SELECT count(*)::int AS n FROM outbox WHERE payload::text LIKE $1', [
    `%${referenceNumber}%`,
  ]);
  return { requests: requests.rows[0].n, items: items.rows[0].n, outbox: outbox.rows[0].n };
}

/** A test agency known only to the requests service's directory replica (the directory answers
 * `failed` for its approved items, so nothing reaches the mail server). Its province `bacninh` has
 * no approval policy, so every item waits for an operator; `bac-ninh` gives the demo's policy. */
export async function replicaOnlyAgency(parentId?: string, province = 'bacninh') {
  const agencyId = `test-agency-${randomUUID()}`;
  const ancestors = parentId
    ? [
        agencyId,
        ...((await db().query('SELECT ancestor_ids FROM agencies WHERE agency_id=$1', [parentId])).rows[0]
          ?.ancestor_ids ?? [parentId]),
      ]
    : [agencyId];
  await db().query(
    `INSERT INTO agencies (agency_id, province, domain, name, abbreviation, parent_id, ancestor_ids, official_mailbox)
     VALUES ($1, $4, 'test.invalid', 'Cơ quan thử', 'test', $2, $3, null)`,
    [agencyId, parentId ?? null, ancestors, province],
  );
  return agencyId;
}

export async function agencyMailbox(agencyId: string): Promise<string> {
  const r = await db().query(
    "SELECT address FROM mailboxes WHERE agency_id=$1 AND type='agency' AND state <> 'deleted'",
    [agencyId],
  );
  if (!r.rows[0]) throw new Error(`no agency mailbox for ${agencyId} in the replica`);
  return r.rows[0].address;
}
