// The credentials the fuzz suite calls with: the admin bearer (the stack's own), an agency's
// access token for a fuzz-only agency (known only to the requests service's replica, so nothing
// it might get accepted reaches the directory or the mail server), and a console session with its
// CSRF token (the demo admin operator from var/demo/operators.json).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  adminFetch,
  createAgencyClient,
  createSqlPool,
  repoRoot,
  serviceDatabaseUrl,
  serviceUrl,
  testAdminToken,
} from '@hopthu/shared/testing';
import { exportJWK, generateKeyPair } from 'jose';

export const adminToken = (): string => testAdminToken;

/** A fuzz-only agency in the requests replica with an API client; returns its token source. */
export async function fuzzAgency(): Promise<{ agencyId: string; accessToken: () => Promise<string> }> {
  const base = serviceUrl('requests');
  const agencyId = `fuzz-agency-${randomUUID()}`;
  const pool = createSqlPool(serviceDatabaseUrl('requests'));
  try {
    await pool.query(
      `INSERT INTO agencies (agency_id, province, domain, name, abbreviation, parent_id, ancestor_ids, official_mailbox)
       VALUES ($1, 'bacninh', 'fuzz.invalid', 'Cơ quan fuzz', 'fuzz', null, $2, null)`,
      [agencyId, [agencyId]],
    );
  } finally {
    await pool.end();
  }
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `fuzz-${randomUUID()}`;
  const clientId = `fuzz-${randomUUID()}`;
  const registered = await adminFetch(base, 'POST', '/admin/clients', {
    clientId,
    agencyId,
    name: 'fuzz client',
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
  });
  if (registered.status !== 201)
    throw new Error(`fuzz client: ${registered.status} ${JSON.stringify(registered.body)}`);
  const client = createAgencyClient({
    agencyId,
    clientId,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
    tokenUrl: `${base}/oauth/token`,
    apiUrl: `${base}/v1`,
  });
  return { agencyId, accessToken: client.accessToken };
}

export interface ConsoleSession {
  cookie: string;
  csrf: string;
}

const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] as string)
    .filter((c) => !c.endsWith('='));

/** Logs the demo admin operator in (login page's double-submit token, then the form). */
export async function consoleSession(): Promise<ConsoleSession> {
  const base = serviceUrl('console');
  const operators = JSON.parse(readFileSync(path.join(repoRoot, 'var/demo/operators.json'), 'utf8')) as {
    username: string;
    password: string;
    role: string;
  }[];
  const operator = operators.find((o) => o.role === 'admin') ?? operators[0];
  if (!operator) throw new Error('no operator in var/demo/operators.json: run ./hopthu up');
  const page = await fetch(`${base}/login`);
  const loginCookies = cookiesOf(page);
  const loginCsrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookies.join('; ') },
    body: new URLSearchParams({
      _csrf: loginCsrf,
      username: operator.username,
      password: operator.password,
      next: '/approvals',
    }).toString(),
  });
  const session = cookiesOf(res).join('; ');
  if (res.status !== 303 || !session) throw new Error(`console login: ${res.status} ${await res.text()}`);
  const approvals = await fetch(`${base}/account`, { headers: { cookie: session } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await approvals.text())?.[1];
  if (!csrf) throw new Error('console: no CSRF token on /account');
  return { cookie: session, csrf };
}
