// Database helpers: a Kysely instance over a pg pool, and migrations. The shared messaging tables
// (outbox, inbox) have their own migration history, so each service runs them alongside its own.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import pg from 'pg';
import { migrationProvider } from './migration-provider.ts';
import { watchOutboxWrites } from './outbox.ts';
import { backoffDelay, sleep } from './retry.ts';

// bigint (int8) columns come back as numbers; ours (sequence numbers, bytes) stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export function createDb<DB>(connectionString: string, options: { max?: number } = {}): Kysely<DB> {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // A dropped connection (PostgreSQL restarting) must not crash the process; queries retry.
  pool.on('error', () => {});
  return new Kysely<DB>({
    dialect: new PostgresDialect({
      pool,
      // the outbox relay is woken right after a transaction that wrote outbox rows commits
      onCreateConnection: async (connection) => watchOutboxWrites(connection),
    }),
  });
}

export const sharedMigrationsFolder = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'migrations',
);

async function runMigrator(db: Kysely<unknown>, folder: string, table: string): Promise<void> {
  const migrator = new Migrator({
    db,
    migrationTableName: table,
    migrationLockTableName: `${table}_lock`,
    provider: migrationProvider(folder),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} in ${folder} failed: ${String(error)}`, {
      cause: error,
    });
  }
}

/**
 * Waits for the database to take connections, for at most `timeoutMs`: a service started while
 * PostgreSQL is restarting waits for it instead of exiting (no supervisor restarts it here).
 */
export async function waitForDatabase(db: Kysely<unknown>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`SELECT 1`.execute(db);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(backoffDelay(attempt, { baseMs: 200, maxMs: 2_000 }));
    }
  }
}

/** Brings a service database to its latest schema: the shared messaging tables, then the service's own. */
export async function migrateToLatest(db: Kysely<unknown>, serviceMigrationsFolder: string): Promise<void> {
  await waitForDatabase(db);
  await runMigrator(db, sharedMigrationsFolder, 'hopthu_shared_migration');
  await runMigrator(db, serviceMigrationsFolder, 'hopthu_migration');
}

export type { Migration };

/** `%text%` for ILIKE: the text is matched anywhere, its own `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The agency replica every service that shows agencies to operators keeps (from hopthu.directory.v1). */
interface AgencyReplica {
  agencies: { agency_id: string; abbreviation: string };
}

/**
 * The ids of the replica's agencies an operator's word names: the id itself, or an abbreviation
 * as operators type it (`stttt`, `STTTT`). A subquery for `where(column, 'in', …)`.
 */
export function agencyIdsNamed(db: Kysely<never> | object, word: string) {
  return (db as Kysely<AgencyReplica>)
    .selectFrom('agencies')
    .select('agency_id')
    .where((eb) => eb.or([eb('agency_id', '=', word), eb('abbreviation', '=', word.toLowerCase())]));
}
