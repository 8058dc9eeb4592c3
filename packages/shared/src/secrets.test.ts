// The installation's secrets end to end, without the stack: scripts/lib.sh generates them into a
// secrets file (0600, NAME=value), every service's configuration accepts what it generated, and
// docs/operations.md lists every secret a configuration schema declares.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TObject } from '@sinclair/typebox';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSecrets, parseKeyRing, secretVariables } from './config.ts';
import { localStackEnv, readSecretsFile } from './local-env.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'hopthu-secrets-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs a function of scripts/lib.sh in bash. */
const lib = (call: string) =>
  execFileSync('bash', ['-c', `set -euo pipefail; source scripts/lib.sh; ${call}`], {
    cwd: root,
    env: { PATH: process.env.PATH, HOPTHU_ROOT: root },
    encoding: 'utf8',
  });

/** Every service's configuration schema, as its config.ts exports it. */
async function serviceSchemas(): Promise<[string, TObject][]> {
  const out: [string, TObject][] = [];
  for (const service of readdirSync(path.join(root, 'services'))) {
    const file = path.join(root, 'services', service, 'src', 'config.ts');
    try {
      statSync(file);
    } catch {
      continue;
    }
    const mod = (await import(file)) as Record<string, unknown>;
    for (const value of Object.values(mod))
      if ((value as TObject)?.type === 'object' && (value as TObject).properties)
        out.push([service, value as TObject]);
  }
  return out;
}

describe('secret generation (scripts/lib.sh secrets_ensure)', () => {
  const file = path.join(tmp, 'var', 'secrets.env');

  it('when run on a fresh checkout, then var/secrets.env holds every secret, mode 0600, and a second run changes nothing', () => {
    lib(`secrets_ensure ${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const first = readSecretsFile(file);
    for (const name of [
      'ADMIN_TOKEN',
      'HOPTHU_DB_PASSWORD',
      'DATA_KEYS',
      'TOKEN_SIGNING_KEYS',
      'DOVEADM_API_KEY',
    ])
      expect(first[name], name).toBeTruthy();
    for (const line of readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#')))
      expect(line).toMatch(/^[A-Z][A-Z0-9_]*=[A-Za-z0-9_:,-]+$/);
    lib(`secrets_ensure ${file}`);
    expect(readSecretsFile(file)).toEqual(first);
  });

  it('when generated twice on two checkouts, then no value repeats', () => {
    const other = path.join(tmp, 'other', 'secrets.env');
    lib(`secrets_ensure ${other}`);
    const a = readSecretsFile(file);
    const b = readSecretsFile(other);
    for (const name of Object.keys(a)) expect(b[name], name).not.toBe(a[name]);
  });

  it('when the generated values reach each service, then its configuration accepts every secret', async () => {
    const env = { ...localStackEnv(file), DATABASE_URL: localStackEnv(file).REQUESTS_DATABASE_URL };
    const schemas = await serviceSchemas();
    expect(schemas.map(([s]) => s)).toEqual(
      expect.arrayContaining(['requests', 'directory', 'provisioner', 'notifier', 'console']),
    );
    for (const [service, schema] of schemas) expect(checkSecrets(schema, env), service).toEqual([]);
  });

  it('when the token key rotates, then the new key signs first and only the previous one is kept', () => {
    const before = parseKeyRing(readSecretsFile(file).TOKEN_SIGNING_KEYS!);
    lib(`secrets_rotate_token_key ${file}; secrets_rotate_token_key ${file}`);
    const after = parseKeyRing(readSecretsFile(file).TOKEN_SIGNING_KEYS!);
    expect(after).toHaveLength(2);
    expect(after.map((k) => k.kid)).not.toContain(before[0]!.kid);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('when the data key rotates, then both keys are held until the old ones are dropped', () => {
    const before = parseKeyRing(readSecretsFile(file).DATA_KEYS!);
    lib(`secrets_add_data_key ${file}`);
    const during = parseKeyRing(readSecretsFile(file).DATA_KEYS!);
    expect(during.slice(1)).toEqual(before);
    lib(`secrets_drop_old_data_keys ${file}`);
    expect(parseKeyRing(readSecretsFile(file).DATA_KEYS!)).toEqual([during[0]]);
  });
});

describe('docs/operations.md', () => {
  const doc = readFileSync(path.join(root, 'docs', 'operations.md'), 'utf8');
  const start = doc.indexOf('## Secrets');
  const end = doc.indexOf('\n## ', start + 1);
  const secretsSection = doc.slice(start, end < 0 ? undefined : end);
  const looksSecret = /(SECRET|_KEY|_KEYS|TOKEN|PASSWORD|DATABASE_URL)$/;

  it('when a configuration schema declares a secret, then the secrets section lists it and it has no default', async () => {
    for (const [service, schema] of await serviceSchemas()) {
      for (const name of secretVariables(schema)) {
        expect(secretsSection, `${service}: ${name}`).toContain(`\`${name}\``);
        expect(
          (schema.properties[name] as { default?: unknown }).default,
          `${service}: ${name}`,
        ).toBeUndefined();
      }
      // a new secret must be declared as one (SecretString, SecretUrl, SecretKeyRing), not as a plain string
      for (const name of Object.keys(schema.properties).filter((n) => looksSecret.test(n)))
        expect(secretVariables(schema), `${service}: ${name}`).toContain(name);
    }
  });

  it('when ./hopthu generates a secret, then the secrets section lists it', () => {
    const names = /HOPTHU_SECRET_NAMES="([^"]+)"/.exec(
      readFileSync(path.join(root, 'scripts', 'lib.sh'), 'utf8'),
    )![1]!;
    for (const name of names.split(' ')) expect(secretsSection, name).toContain(`\`${name}\``);
  });
});
