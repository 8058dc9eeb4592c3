// One Vitest run for the whole monorepo: `unit` holds the pure, fast tests that sit beside the
// code; `component` (`test/*.component.test.ts`) builds a service in process (buildApp(deps) with
// inject, a manual clock) on a PostgreSQL database of each file's own, cloned from the service's
// migrated template, so its files run in parallel (a few also call the running stack, e.g. the
// console's clients of the other services);
// `integration` talks to the real stack that `./hopthu test` starts (scripts/commands.sh).
import { defineConfig } from 'vitest/config';
import { useLocalStackEnv } from './packages/shared/src/local-env.ts';

// The local installation's secrets and connection URLs (var/secrets.env, made by ./hopthu up) for
// the tests and the services they start, unless the environment already has them.
useLocalStackEnv();

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'component',
          include: ['services/*/test/**/*.component.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'services/*/test/**/*.component.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
