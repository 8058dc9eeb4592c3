// Where a service's migrations are read from. Run from its TypeScript sources, a folder's `.ts`
// files are imported one by one (kysely's FileMigrationProvider). A compiled service
// (scripts/build-services.ts) gets this module replaced by one with every migration of its folders
// bundled in, so that starting it never imports a `.ts` file: that alone loads Node's TypeScript
// stripper, about 17 MiB of resident memory for the life of the process (docs/performance.md).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FileMigrationProvider, type MigrationProvider } from 'kysely/migration';

export function migrationProvider(folder: string): MigrationProvider {
  return new FileMigrationProvider({ fs, path, migrationFolder: folder });
}
