// The admin calls that put an agency and its API client into a running system: used by the demo
// seed (scripts/seed-demo.ts) and by the benchmark (scripts/bench.ts), the way an operator's
// tooling would call the directory and requests admin APIs.
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { localSecret } from '@hopthu/shared/local-env';
import type { DemoClient } from '@hopthu/shared/testing';
import { exportJWK, generateKeyPair } from 'jose';

export interface AdminApi {
  adminToken: string;
  directoryUrl: string;
  requestsUrl: string;
  consoleUrl: string;
}

export function adminApiFromEnv(env: Record<string, string | undefined> = process.env): AdminApi {
  return {
    adminToken: localSecret('ADMIN_TOKEN', env),
    directoryUrl: env.DIRECTORY_URL ?? 'http://127.0.0.1:3002',
    requestsUrl: env.REQUESTS_URL ?? 'http://127.0.0.1:3001',
    consoleUrl: env.CONSOLE_URL ?? 'http://127.0.0.1:3005',
  };
}

/** A password that passes Bắc Ninh 5.2: ≥ 8 characters with upper and lower case, a digit and a special character. */
export function demoPassword(): string {
  return `Hb${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}7#`;
}

export interface RegisteredAgency {
  agencyId: string;
  officialMailbox: string;
  officialMailboxId: string;
  /** The official mailbox's password when this call created it; null when the agency already existed. */
  password: string | null;
}

/** Registers an agency (idempotent by abbreviation) with an official mailbox and a fresh password. */
/**
 * Registers an agency for a script (demo seed, bench), safe to run again: the Idempotency-Key names
 * this script's registration, so a rerun answers the agency it registered (200). A taken
 * abbreviation is a 409 naming the holder; when the holder is this very agency (same name, from a
 * run before registrations carried a key) it is answered as the existing one, otherwise it throws.
 */
export async function registerAgency(
  api: AdminApi,
  body: Record<string, unknown>,
): Promise<RegisteredAgency> {
  const password = demoPassword();
  const officialMailboxPasswordHash = `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`;
  const headers = { authorization: `Bearer ${api.adminToken}`, 'content-type': 'application/json' };
  const res = await fetch(`${api.directoryUrl}/admin/agencies`, {
    method: 'POST',
    headers: {
      ...headers,
      'idempotency-key': `hopthu-script:${String(body.province)}:${String(body.abbreviation)}`,
    },
    body: JSON.stringify({ ...body, officialMailboxPasswordHash }),
  });
  const answer = (await res.json()) as {
    created: boolean;
    agencyId: string;
    officialMailbox: string;
    officialMailboxId: string;
    holder?: { agencyId: string; name: string; abbreviation: string };
  };
  if (res.status === 409 && answer.holder?.name === body.name) {
    const list = await fetch(
      `${api.directoryUrl}/admin/agencies?province=${encodeURIComponent(String(body.province))}`,
      { headers },
    );
    const { items } = (await list.json()) as {
      items: { agencyId: string; officialMailbox: string | null; officialMailboxId: string | null }[];
    };
    const own = items.find((a) => a.agencyId === answer.holder?.agencyId);
    if (own?.officialMailbox && own.officialMailboxId) {
      return {
        agencyId: own.agencyId,
        officialMailbox: own.officialMailbox,
        officialMailboxId: own.officialMailboxId,
        password: null,
      };
    }
  }
  if (!res.ok) {
    throw new Error(
      `registering ${String(body.abbreviation)} failed: ${res.status} ${JSON.stringify(answer)}`,
    );
  }
  return {
    agencyId: answer.agencyId,
    officialMailbox: answer.officialMailbox,
    officialMailboxId: answer.officialMailboxId,
    password: answer.created ? password : null,
  };
}

/** Gives a mailbox an extra address (e.g. the role address noc@), unless it already has it. */
export async function ensureAlias(
  api: AdminApi,
  address: string,
  mailboxId: string,
  reason: string,
): Promise<void> {
  const headers = { authorization: `Bearer ${api.adminToken}`, 'content-type': 'application/json' };
  const list = await fetch(`${api.directoryUrl}/admin/aliases?mailboxId=${mailboxId}`, { headers });
  if (!list.ok) throw new Error(`listing aliases failed: ${list.status} ${await list.text()}`);
  const { items } = (await list.json()) as { items: { address: string }[] };
  if (items.some((a) => a.address === address)) return;
  const res = await fetch(`${api.directoryUrl}/admin/aliases`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ address, mailboxId, reason }),
  });
  if (!res.ok) throw new Error(`adding alias ${address} failed: ${res.status} ${await res.text()}`);
}

/** What clients.json holds for each agency: see DemoClient in @hopthu/shared/testing. */
export type RegisteredClient = DemoClient;

/** Registers an API client for an agency with a fresh ES256 key; the private half is returned. */
export async function registerClient(
  api: AdminApi,
  agency: { agencyId: string; abbreviation: string; parentAgencyId?: string },
  clientId: string,
): Promise<RegisteredClient> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `${agency.abbreviation}-${Date.now()}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const res = await fetch(`${api.requestsUrl}/admin/clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      clientId,
      agencyId: agency.agencyId,
      name: `Hệ thống QLVB ${agency.abbreviation}`,
      jwk,
    }),
  });
  if (!res.ok) throw new Error(`registering client ${clientId} failed: ${res.status} ${await res.text()}`);
  return {
    agencyId: agency.agencyId,
    abbreviation: agency.abbreviation,
    clientId,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
    tokenUrl: `${api.requestsUrl}/oauth/token`,
    apiUrl: `${api.requestsUrl}/v1`,
    ...(agency.parentAgencyId ? { parentAgencyId: agency.parentAgencyId } : {}),
  };
}

export interface ConsoleOperator {
  username: string;
  displayName: string;
  /** The console's roles: operator (queues, replay), approver (+ approve/reject), auditor (read-only), admin. */
  role: 'operator' | 'approver' | 'auditor' | 'admin';
  password: string;
}

/** Creates a console operator, or sets this password on the existing account (the demo's file stays true). */
export async function ensureOperator(api: AdminApi, operator: ConsoleOperator): Promise<void> {
  const res = await fetch(`${api.consoleUrl}/admin/operators`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...operator, resetPassword: true }),
  });
  if (!res.ok)
    throw new Error(`creating operator ${operator.username} failed: ${res.status} ${await res.text()}`);
}
