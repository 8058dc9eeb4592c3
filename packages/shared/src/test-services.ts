// Helpers for integration tests that talk to the stack's services: where a service answers, using
// the running one (or starting one for the test file), its admin API with the token, and a plain
// SQL pool on its database. Exported through `@hopthu/shared/testing`.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { localSecret } from './local-env.ts';
import { repoRoot, waitFor } from './testing.ts';

const SERVICE_PORTS: Record<string, number> = {
  requests: 3001,
  directory: 3002,
  provisioner: 3003,
  notifier: 3004,
  console: 3005,
};

/** The admin token the stack's services accept: ADMIN_TOKEN, else var/secrets.env's (./hopthu up made it). */
export const testAdminToken = localSecret('ADMIN_TOKEN');

/** A service's base URL: `<SERVICE>_URL` (e.g. DIRECTORY_URL), else its port on 127.0.0.1. */
export function serviceUrl(service: string): string {
  const port = SERVICE_PORTS[service];
  if (port === undefined) throw new Error(`unknown service ${service}`);
  return process.env[`${service.toUpperCase()}_URL`] ?? `http://127.0.0.1:${port}`;
}

/** A service's database: `<SERVICE>_DATABASE_URL` (e.g. REQUESTS_DATABASE_URL), else the local stack's (var/secrets.env). */
export function serviceDatabaseUrl(service: string): string {
  return localSecret(`${service.toUpperCase()}_DATABASE_URL`);
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
  if (await answers(`${baseUrl}/healthz`)) {
    await waitFor(() => answers(`${baseUrl}/readyz`), { timeoutMs: 90_000, what: `${service} /readyz` });
    return async () => {};
  }
  return (await startServiceProcess(service, { url: baseUrl })).stop;
}

export interface ServiceProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `node services/<service>/src/main.ts` on `url`'s port with extra environment (another
 * consumer name, a test clock, a fault to inject…) and waits for its /readyz (a process that exits
 * instead is named in the time-out's message). Its log goes to the test output at `<SERVICE>_TEST_LOG_LEVEL` (default warn).
 */
export async function startServiceProcess(
  service: string,
  options: { url: string; env?: Record<string, string>; entry?: string },
): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    // `entry`: a test's own start file (the service's parts with a fake clock…), repository-relative
    [path.join(repoRoot, options.entry ?? `services/${service}/src/main.ts`)],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: new URL(options.url).port || String(SERVICE_PORTS[service] ?? ''),
        // as ./hopthu starts it: its own database (a service has no default, the password is a secret)
        DATABASE_URL: serviceDatabaseUrl(service),
        LOG_LEVEL: process.env[`${service.toUpperCase()}_TEST_LOG_LEVEL`] ?? 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${service} exited with ${child.exitCode}`);
      return answers(`${options.url}/readyz`);
    },
    { timeoutMs: 60_000, what: `${service} at ${options.url}` },
  );
  return {
    url: options.url,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** A service for a test file: the running one if it answers, else one started for the file. */
export async function useRunningOrStart(
  service: string,
  url: string = serviceUrl(service),
): Promise<ServiceProcess> {
  return { url, stop: await ensureService(service, url) };
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
