// One Vitest run for the whole monorepo: `unit` holds the pure, fast tests that sit beside the
// code; `integration` talks to the real stack that `./hopthu test` starts (see scripts/test.sh).
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
          name: 'integration',
          include: ['services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
