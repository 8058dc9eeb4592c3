// A database of its own for a test file, cloned from the service's migrated template: the template
// `hopthu_<service>_template` is migrated once (again only when a migration file changes), and each
// clone is a file copy (`CREATE DATABASE … TEMPLATE …`), far quicker than running every migration
// per test file. Exported through `@hopthu/shared/testing`.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { createDb, migrateToLatest, sharedMigrationsFolder } from './db.ts';
import { localSecret } from './local-env.ts';

export interface ScratchDatabase<DB> {
  /** Its connection URL (for a service process started on it). */
  url: string;
  db: Kysely<DB>;
  /** Closes `db` and drops the database. */
  drop(): Promise<void>;
}

/** What the template was migrated from: every migration file's name and content, shared and the service's. */
function migrationsFingerprint(folders: string[]): string {
  const hash = createHash('sha256');
  for (const folder of folders) {
    for (const file of readdirSync(folder).sort()) {
      hash.update(`${folder}/${file}\0`);
      hash.update(readFileSync(path.join(folder, file)));
    }
  }
  return hash.digest('hex');
}

function databaseUrl(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function withAdminClient<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Makes `template` the latest schema; the caller holds the service's advisory lock. */
async function ensureTemplate(client: pg.Client, adminUrl: string, template: string, migrationsPath: string) {
  const fingerprint = migrationsFingerprint([sharedMigrationsFolder, migrationsPath]);
  const { rows } = await client.query<{ comment: string | null }>(
    'SELECT shobj_description(oid, $2) AS comment FROM pg_database WHERE datname = $1',
    [template, 'pg_database'],
  );
  if (rows[0]?.comment === fingerprint) return;
  // Missing, half-made (no fingerprint yet) or made from other migrations: make it afresh.
  await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${template}`);
  const db = createDb<unknown>(databaseUrl(adminUrl, template), { max: 1 });
  try {
    await migrateToLatest(db, migrationsPath);
  } finally {
    await db.destroy();
  }
  // Only a fully migrated template carries the fingerprint.
  await client.query(`COMMENT ON DATABASE ${template} IS '${fingerprint}'`);
}

/**
 * A fresh database with the service's latest schema (`service`: requests, notifier…;
 * `migrationsPath`: its migrations folder), cloned from `hopthu_<service>_template`. Test files
 * running at the same time (other workers, other processes) take turns on the template through an
 * advisory lock, since PostgreSQL refuses to clone a database while anyone is connected to it.
 * Connects as DATABASE_ADMIN_URL (the local stack's, var/secrets.env).
 */
export async function createScratchDatabase<DB>(options: {
  service: string;
  migrationsPath: string;
  /** The pool size of `db` (default 4). */
  max?: number;
}): Promise<ScratchDatabase<DB>> {
  if (!/^[a-z][a-z0-9_]*$/.test(options.service)) throw new Error(`not a service name: ${options.service}`);
  const adminUrl = localSecret('DATABASE_ADMIN_URL');
  const template = `hopthu_${options.service}_template`;
  const name = `hopthu_${options.service}_t${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await withAdminClient(adminUrl, async (client) => {
    const lockKey = `hopthu scratch template ${template}`;
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      await ensureTemplate(client, adminUrl, template, options.migrationsPath);
      await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  });
  const url = databaseUrl(adminUrl, name);
  const db = createDb<DB>(url, { max: options.max ?? 4 });
  return {
    url,
    db,
    async drop() {
      await db.destroy();
      await withAdminClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}
