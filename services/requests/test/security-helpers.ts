// Helpers for the requests service's security and validation tests: reach (or start) the running
// service, sign client assertions (good and bad), call the agency API, and count what a call wrote.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { type DemoClient, readDemoClients, repoRoot, waitFor } from '@hopthu/shared/testing';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import pg from 'pg';

export const baseUrl = process.env.REQUESTS_URL ?? 'http://127.0.0.1:3001';
export const tokenUrl = `${baseUrl}/oauth/token`;
export const adminToken = process.env.ADMIN_TOKEN ?? 'hopthu-dev-admin-token';
export const tokenSecret = process.env.TOKEN_SECRET ?? 'hopthu-dev-token-secret-change-me-0123456789';
const databaseUrl =
  process.env.REQUESTS_DATABASE_URL ?? 'postgres://hopthu:hopthu@127.0.0.1:5432/hopthu_requests';

async function answers(probe: '/healthz' | '/readyz'): Promise<boolean> {
  try {
    return (await fetch(`${baseUrl}${probe}`)).ok;
  } catch {
    return false;
  }
}
const healthy = () => answers('/readyz');

/** Uses the running requests service (waiting until it is ready), or starts one for this file. */
export async function ensureRequests(): Promise<() => Promise<void>> {
  if (await answers('/healthz')) {
    await waitFor(healthy, { timeoutMs: 90_000, what: 'requests /readyz' });
    return async () => {};
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(repoRoot, 'services/requests/src/main.ts')],
    {
      cwd: repoRoot,
      stdio: 'ignore',
      env: process.env,
    },
  );
  await waitFor(healthy, { timeoutMs: 60_000, what: 'requests /readyz' });
  return async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
}

export function demo(abbreviation: 'stttt' | 'snv' | 'ttcntttt'): DemoClient {
  const client = readDemoClients().find((c) => c.abbreviation === abbreviation);
  if (!client) throw new Error(`demo client ${abbreviation} missing: run ./hopthu up`);
  return client;
}

export interface AssertionOptions {
  clientId: string;
  privateJwk: Record<string, unknown>;
  audience?: string;
  expiresInSeconds?: number;
  issuedAtOffsetSeconds?: number;
  jti?: string;
  kid?: string;
}

export async function signAssertion(o: AssertionOptions): Promise<string> {
  const key = await importJWK(o.privateJwk as JWK, 'ES256');
  const now = Math.floor(Date.now() / 1000) + (o.issuedAtOffsetSeconds ?? 0);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: o.kid ?? String(o.privateJwk.kid) })
    .setIssuer(o.clientId)
    .setSubject(o.clientId)
    .setAudience(o.audience ?? tokenUrl)
    .setJti(o.jti ?? randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + (o.expiresInSeconds ?? 60))
    .sign(key);
}

export async function postToken(assertion: string) {
  return fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
}

const tokens = new Map<string, { token: string; until: number }>();

/** A fresh access token for a client (cached for a minute). */
export async function accessToken(client: { clientId: string; privateJwk: Record<string, unknown> }) {
  const cached = tokens.get(client.clientId);
  if (cached && cached.until > Date.now()) return cached.token;
  const res = await postToken(await signAssertion(client));
  if (res.status !== 200) throw new Error(`token for ${client.clientId}: ${res.status} ${await res.text()}`);
  const token = ((await res.json()) as { access_token: string }).access_token;
  tokens.set(client.clientId, { token, until: Date.now() + 60_000 });
  return token;
}

export async function newKeyPair(kid = `k-${randomUUID()}`) {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' } as Record<string, unknown>,
  };
}

export async function admin(method: string, url: string, body?: unknown) {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
}

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
  pool ??= new pg.Pool({ connectionString: databaseUrl, max: 2 });
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
 * `failed` for its approved items, so nothing reaches the mail server). */
export async function replicaOnlyAgency(parentId?: string) {
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
     VALUES ($1, 'bacninh', 'test.invalid', 'Cơ quan thử', 'test', $2, $3, null)`,
    [agencyId, parentId ?? null, ancestors],
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
