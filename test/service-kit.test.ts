// The start-up kit (@hopthu/shared/service-kit) on the real PostgreSQL: a service declared from its
// parts answers /readyz on its port, runs its loops, and its shutdown closes the port and stops the
// loops; a part that fails to start stops what already started and fails the start. Each test
// has a scratch database of its own, dropped afterwards.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHttpApp } from '@hopthu/shared/http';
import { localSecret } from '@hopthu/shared/local-env';
import { createLogger } from '@hopthu/shared/logger';
import { type ServiceSpec, startService } from '@hopthu/shared/service-kit';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';

const logger = createLogger('kit-test', { level: 'silent' });
const adminUrl = localSecret('DATABASE_ADMIN_URL');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A scratch database and an empty migrations folder: the kit migrates only the shared tables. */
async function scratch(): Promise<{ url: string; migrations: string }> {
  const name = `hopthu_kit_t${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const migrations = mkdtempSync(path.join(tmpdir(), 'hopthu-kit-migrations-'));
  cleanups.push(async () => {
    rmSync(migrations, { recursive: true, force: true });
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), migrations };
}

async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as { port: number };
  srv.close();
  await once(srv, 'close');
  return port;
}

async function answers(url: string): Promise<number | null> {
  try {
    return (await fetch(url)).status;
  } catch {
    return null;
  }
}

describe('the start-up kit', { timeout: 60_000 }, () => {
  it('when a service is declared from its parts, then it is ready on its port, runs its loop, and its shutdown stops both', async () => {
    const db = await scratch();
    const port = await freePort();
    let passes = 0;
    const spec: ServiceSpec<unknown> = {
      name: 'kit-test',
      config: { LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: port, DATABASE_URL: db.url },
      migrations: db.migrations,
      parts: ({ readiness }) => ({
        app: createHttpApp({ logger, readiness }),
        loops: {
          tick: {
            intervalMs: 20,
            runOnce: async () => {
              passes++;
              return 0;
            },
          },
        },
      }),
    };
    const shutdown = await startService(spec, logger);
    expect(await answers(`http://127.0.0.1:${port}/readyz`)).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(passes).toBeGreaterThan(1);

    await shutdown();
    const after = passes;
    await new Promise((r) => setTimeout(r, 200));
    expect(passes).toBe(after);
    expect(await answers(`http://127.0.0.1:${port}/readyz`)).toBeNull();
  });

  it('when a consumer fails to start, then the start fails and the loop already started is stopped', async () => {
    const db = await scratch();
    const port = await freePort();
    let passes = 0;
    const spec: ServiceSpec<unknown> = {
      name: 'kit-test',
      config: { LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: port, DATABASE_URL: db.url },
      migrations: db.migrations,
      parts: () => ({
        app: createHttpApp({ logger }),
        loops: {
          tick: {
            intervalMs: 20,
            runOnce: async () => {
              passes++;
              return 0;
            },
          },
        },
        consumers: {
          broken: async () => {
            throw new Error('the broker refused the group');
          },
        },
      }),
    };
    await expect(startService(spec, logger)).rejects.toThrow('the broker refused the group');
    const after = passes;
    await new Promise((r) => setTimeout(r, 200));
    expect(passes).toBe(after);
    expect(await answers(`http://127.0.0.1:${port}/healthz`)).toBeNull();
  });
});
