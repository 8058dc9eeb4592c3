// Compiles each service to one JavaScript file for production (issue 15): services/<name>/dist/main.mjs
// holds the service's own TypeScript and the workspace packages (@hopthu/*), with the type
// annotations gone; packages from node_modules stay imports. Run as plain JavaScript, a service
// no longer loads Node's TypeScript stripper (about 30 MiB resident) nor strips its sources at
// each start. `./hopthu up` and `./hopthu restart` build before they start (about a second), so
// what runs is always the checkout; `HOPTHU_RUN_TS=1` runs the sources as before.
//
// import.meta.dirname / import.meta.url keep the value of the file they were written in (the
// migrations beside a service's src/, the province files of packages/naming), so paths resolved
// from them do not move with the bundle.
//
// The migrations (the shared ones and the service's) are bundled in too: the build replaces
// packages/shared/src/migration-provider.ts, which imports a folder's `.ts` files at start, with a
// module holding every migration of those two folders by name. Importing a single `.ts` file at
// run time would load Node's TypeScript stripper again (about 17 MiB resident, docs/performance.md).
//
//   node scripts/build-services.ts [name ...]     (default: every service)
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'rolldown';

const root = path.resolve(import.meta.dirname, '..');
const migrationProviderModule = path.join(root, 'packages/shared/src/migration-provider.ts');

/** The files kysely's FileMigrationProvider would import from a folder, by migration name. */
function migrationFiles(folder: string): [string, string][] {
  return readdirSync(folder)
    .filter((f) => /\.(js|mjs|ts|mts)$/.test(f) && !/\.d\.m?ts$/.test(f))
    .sort()
    .map((f) => [f.slice(0, f.lastIndexOf('.')), path.join(folder, f)]);
}

/** migration-provider.ts as compiled: the migrations of `folders`, imported into the bundle. */
export function bundledMigrationProvider(folders: string[]): string {
  const imports: string[] = [];
  const entries = folders.map((folder) => {
    const names = migrationFiles(folder).map(([name, file]) => {
      imports.push(`import * as m${imports.length} from ${JSON.stringify(file)};`);
      return `[${JSON.stringify(name)}, m${imports.length - 1}]`;
    });
    return `[${JSON.stringify(folder)}, Object.fromEntries([${names.join(', ')}])]`;
  });
  return `${imports.join('\n')}
const bundled = new Map([${entries.join(', ')}]);
export function migrationProvider(folder) {
  const migrations = bundled.get(folder);
  if (!migrations) throw new Error(\`no migrations were compiled in for \${folder} (scripts/build-services.ts)\`);
  return { getMigrations: async () => migrations };
}
`;
}

export async function buildService(name: string): Promise<string> {
  const dir = path.join(root, 'services', name);
  const outFile = path.join(dir, 'dist', 'main.mjs');
  await build({
    input: path.join(dir, 'src', 'main.ts'),
    platform: 'node',
    logLevel: 'warn',
    // only the project's own code is bundled; every library is loaded from node_modules as usual
    external: (id) => !id.startsWith('.') && !path.isAbsolute(id) && !id.startsWith('@hopthu/'),
    plugins: [
      {
        name: 'hopthu-bundled-migrations',
        load(id) {
          if (id !== migrationProviderModule) return null;
          return bundledMigrationProvider([
            path.join(root, 'packages/shared/migrations'),
            path.join(dir, 'migrations'),
          ]);
        },
      },
      {
        name: 'hopthu-import-meta',
        transform(code, id) {
          if (!id.endsWith('.ts') || !code.includes('import.meta.')) return null;
          // on the same lines as before: `map: null` keeps the sourcemap's line mappings
          const replaced = code
            .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(id)))
            .replaceAll('import.meta.filename', JSON.stringify(id))
            .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(id).href));
          return { code: replaced, map: null };
        },
      },
    ],
    // a dynamic import() (the Kafka client not chosen) stays a chunk of its own beside main.mjs,
    // loaded only if that path runs; stable names, so each build overwrites the last
    output: {
      dir: path.dirname(outFile),
      entryFileNames: 'main.mjs',
      chunkFileNames: '[name].mjs',
      format: 'esm',
      sourcemap: true,
    },
  });
  return outFile;
}

function services(): string[] {
  return readdirSync(path.join(root, 'services'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const names = process.argv.slice(2);
  for (const name of names.length > 0 ? names : services()) {
    const started = performance.now();
    const file = await buildService(name);
    console.log(`${path.relative(root, file)} (${Math.round(performance.now() - started)} ms)`);
  }
}
