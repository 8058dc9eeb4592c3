// The compiled services carry their migrations inside the bundle (scripts/build-services.ts): the
// module that replaces packages/shared/src/migration-provider.ts must answer, for each folder,
// exactly the migrations kysely's FileMigrationProvider reads from it, by the same names.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MigrationProvider } from 'kysely/migration';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationProvider as fromFolder } from '../packages/shared/src/migration-provider.ts';
import { bundledMigrationProvider } from './build-services.ts';

const root = path.resolve(import.meta.dirname, '..');
const shared = path.join(root, 'packages/shared/migrations');
const services = readdirSync(path.join(root, 'services')).filter((s) =>
  readdirSync(path.join(root, 'services', s)).includes('migrations'),
);
const scratch = mkdtempSync(path.join(tmpdir(), 'hopthu-bundled-migrations-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('migrations bundled into a compiled service', () => {
  it.each(services)('%s: the same migrations, by the same names, as the folders hold', async (service) => {
    const own = path.join(root, 'services', service, 'migrations');
    const file = path.join(scratch, `${service}.mjs`);
    writeFileSync(file, bundledMigrationProvider([shared, own]));
    const bundled = (await import(pathToFileURL(file).href)) as {
      migrationProvider(folder: string): MigrationProvider;
    };
    for (const folder of [shared, own]) {
      const expected = await fromFolder(folder).getMigrations();
      const got = await bundled.migrationProvider(folder).getMigrations();
      expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
      for (const migration of Object.values(got)) expect(typeof migration.up).toBe('function');
    }
    expect(() => bundled.migrationProvider(path.join(root, 'elsewhere'))).toThrow(/build-services/);
  });
});
