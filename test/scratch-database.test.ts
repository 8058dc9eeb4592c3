// createScratchDatabase (@hopthu/shared/testing) on the real PostgreSQL: test files asking at the
// same time each get a database of their own with the latest schema, cloned from one template that
// is migrated once, and made again when a migration file is added. A service of its own
// (`scratchcheck`, migrations in a temporary folder) so no real service's template is touched.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localSecret } from '@hopthu/shared/local-env';
import { createScratchDatabase } from '@hopthu/shared/testing';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const SERVICE = 'scratchcheck';
const TEMPLATE = `hopthu_${SERVICE}_template`;
const migrations = mkdtempSync(path.join(tmpdir(), 'hopthu-scratch-migrations-'));

/** A migration that creates one table (no imports: Kysely hands it the database). */
function addMigration(name: string, table: string) {
  writeFileSync(
    path.join(migrations, `${name}.ts`),
    `export async function up(db) { await db.schema.createTable('${table}').addColumn('id', 'text').execute(); }\n`,
  );
}

async function onAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: localSecret('DATABASE_ADMIN_URL') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const databaseExists = (name: string) =>
  onAdmin(
    async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1,
  );

async function tablesOf(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ tablename: string }>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'scratch_%' ORDER BY 1`.execute(
    db,
  );
  return rows.map((r) => r.tablename);
}

afterAll(async () => {
  await onAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`));
});

describe('scratch databases cloned from a migrated template', () => {
  it('when five test files ask at once, then each gets its own database with every migration, from one template', async () => {
    await onAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`));
    addMigration('2026-01-01T0000-first', 'scratch_first');

    const scratches = await Promise.all(
      [1, 2, 3, 4, 5].map(() => createScratchDatabase({ service: SERVICE, migrationsPath: migrations })),
    );
    try {
      expect(new Set(scratches.map((s) => s.url)).size).toBe(5);
      for (const s of scratches) expect(await tablesOf(s.db)).toEqual(['scratch_first']);
      // a row in one is in no other
      await sql`INSERT INTO scratch_first (id) VALUES ('only-here')`.execute(scratches[0]!.db);
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM scratch_first`.execute(
        scratches[1]!.db,
      );
      expect(rows[0]?.n).toBe(0);
      expect(await databaseExists(TEMPLATE)).toBe(true);
    } finally {
      await Promise.all(scratches.map((s) => s.drop()));
    }
    const name = new URL(scratches[0]!.url).pathname.slice(1);
    expect(await databaseExists(name)).toBe(false);
  });

  it('when a migration is added, then the next scratch database has it (the template is made again)', async () => {
    addMigration('2026-01-02T0000-second', 'scratch_second');

    const scratch = await createScratchDatabase({ service: SERVICE, migrationsPath: migrations });
    try {
      expect(await tablesOf(scratch.db)).toEqual(['scratch_first', 'scratch_second']);
    } finally {
      await scratch.drop();
    }
  });
});
