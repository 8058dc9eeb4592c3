// Helpers for integration tests that talk to the stack's services: where a service answers, using
// the running one (or starting one for the test file), its admin API with the token, and a plain
// SQL pool on its database. Exported through `@hopthu/shared/testing`.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { repoRoot, waitFor } from './testing.ts';

const SERVICE_PORTS: Record<string, number> = {
  requests: 3001,
  directory: 3002,
  provisioner: 3003,
  notifier: 3004,
  console: 3005,
};

/** The admin token the stack's services accept: ADMIN_TOKEN, else the development default. */
export const testAdminToken = process.env.ADMIN_TOKEN ?? 'hopthu-dev-admin-token';

/** A service's base URL: `<SERVICE>_URL` (e.g. DIRECTORY_URL), else its port on 127.0.0.1. */
export function serviceUrl(service: string): string {
  const port = SERVICE_PORTS[service];
  if (port === undefined) throw new Error(`unknown service ${service}`);
  return process.env[`${service.toUpperCase()}_URL`] ?? `http://127.0.0.1:${port}`;
}

/** A service's database: `<SERVICE>_DATABASE_URL` (e.g. REQUESTS_DATABASE_URL), else hopthu_<service>. */
export function serviceDatabaseUrl(service: string): string {
  return (
    process.env[`${service.toUpperCase()}_DATABASE_URL`] ??
    `postgres://hopthu:hopthu@127.0.0.1:5432/hopthu_${service}`
  );
}

/** A small pool for reading or seeding a service's rows directly (end it in afterAll). */
export function createSqlPool(connectionString: string): pg.Pool {
  return new pg.Pool({ connectionString, max: 2 });
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/**
 * Uses the service running at `baseUrl` (waiting until it is ready when it answers /healthz but
 * not yet /readyz, rather than starting a second one on its port), or starts
 * `node services/<service>/src/main.ts` for this test file. Returns how to stop what it started.
 */
export async function ensureService(service: string, baseUrl: string): Promise<() => Promise<void>> {
  const ready = () => answers(`${baseUrl}/readyz`);
  if (await answers(`${baseUrl}/healthz`)) {
    await waitFor(ready, { timeoutMs: 90_000, what: `${service} /readyz` });
    return async () => {};
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(repoRoot, `services/${service}/src/main.ts`)],
    {
      cwd: repoRoot,
      stdio: 'ignore',
      env: process.env,
    },
  );
  await waitFor(ready, { timeoutMs: 60_000, what: `${service} /readyz` });
  return async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
}

export interface AdminAnswer<T> {
  status: number;
  body: T;
}

/** Calls a service's admin API with the admin token; the body is the parsed JSON, null when there is none. */
export async function adminFetch<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  url: string,
  body?: unknown,
  token: string = testAdminToken,
): Promise<AdminAnswer<T>> {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as T };
}
