// The local installation's secrets for scripts and tests: `./hopthu up` generates them into
// var/secrets.env (lines NAME=value, mode 0600) and exports them to what it starts. A test run by
// hand (`npx vitest run …`) or a script started outside ./hopthu reads the same file here, so no
// secret is ever written into the repository. Services never read this file: their config.ts takes
// the environment only. Exported through `@hopthu/shared/local-env`.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

/** Where `./hopthu up` keeps the installation's secrets (HOPTHU_SECRETS_FILE overrides it). */
export function secretsFile(env: Record<string, string | undefined> = process.env): string {
  return env.HOPTHU_SECRETS_FILE ?? path.join(repoRoot, 'var', 'secrets.env');
}

/** The `NAME=value` lines of a secrets file (comments and blank lines skipped); {} when there is none. */
export function readSecretsFile(file: string = secretsFile()): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

const pgUrl = (user: string, password: string, db: string) =>
  `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:5432/${db}`;

/**
 * The local stack's secrets and the connection URLs made from them, as scripts/infra.sh exports
 * them to the services: `<SERVICE>_DATABASE_URL`, DATABASE_ADMIN_URL and VMAIL_DATABASE_URL.
 */
export function localStackEnv(file: string = secretsFile()): Record<string, string> {
  const s = readSecretsFile(file);
  const out: Record<string, string> = { ...s };
  if (s.HOPTHU_DB_PASSWORD) {
    out.DATABASE_ADMIN_URL = pgUrl('hopthu', s.HOPTHU_DB_PASSWORD, 'postgres');
    for (const service of ['requests', 'directory', 'provisioner', 'notifier', 'console'])
      out[`${service.toUpperCase()}_DATABASE_URL`] = pgUrl(
        'hopthu',
        s.HOPTHU_DB_PASSWORD,
        `hopthu_${service}`,
      );
  }
  if (s.VMAIL_ADMIN_PASSWORD) out.VMAIL_DATABASE_URL = pgUrl('vmail_admin', s.VMAIL_ADMIN_PASSWORD, 'vmail');
  return out;
}

/** Fills `env` with the local stack's values it does not already have (the environment wins). */
export function useLocalStackEnv(env: Record<string, string | undefined> = process.env): void {
  for (const [name, value] of Object.entries(localStackEnv(secretsFile(env))))
    if (env[name] === undefined || env[name] === '') env[name] = value;
}

/** A local secret or URL: the environment's, else var/secrets.env's; throws naming it when neither has it. */
export function localSecret(name: string, env: Record<string, string | undefined> = process.env): string {
  const value = env[name] || localStackEnv(secretsFile(env))[name];
  if (!value)
    throw new Error(
      `${name} is neither in the environment nor in ${secretsFile(env)}: run ./hopthu up first (it generates the installation's secrets)`,
    );
  return value;
}
