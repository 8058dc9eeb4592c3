import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import {
  COMMITTED_SECRET_VALUES,
  ConfigError,
  checkSecrets,
  loadConfig,
  parseKeyRing,
  SecretKeyRing,
  SecretString,
  SecretUrl,
  valuesInRepository,
} from './config.ts';

const Schema = Type.Object({
  PORT: Type.Integer({ default: 3000 }),
  ADMIN_TOKEN: SecretString(32),
  DATABASE_URL: SecretUrl(),
  DATA_KEYS: SecretKeyRing('aes-256'),
  TOKEN_SIGNING_KEYS: SecretKeyRing('ed25519-seed'),
});
const good = () => ({
  ADMIN_TOKEN: randomBytes(32).toString('base64url'),
  DATABASE_URL: `postgres://hopthu:${randomBytes(24).toString('base64url')}@127.0.0.1:5432/hopthu_requests`,
  DATA_KEYS: `new:${randomBytes(32).toString('hex')},old:${randomBytes(32).toString('hex')}`,
  TOKEN_SIGNING_KEYS: `k1:${randomBytes(32).toString('base64url')}`,
});
const nothingInRepository = () => new Set<string>();

function refusal(env: Record<string, string | undefined>): string {
  try {
    loadConfig(Schema, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('loadConfig accepted it');
}

describe('secrets in configuration', () => {
  it('when every secret is generated, then the configuration loads', () => {
    const env = good();
    const config = loadConfig(Schema, env);
    expect(config.ADMIN_TOKEN).toBe(env.ADMIN_TOKEN);
    expect(parseKeyRing(config.DATA_KEYS).map((k) => k.kid)).toEqual(['new', 'old']);
  });

  it('when a secret is missing, then the start is refused naming it in Vietnamese and English', () => {
    for (const name of ['ADMIN_TOKEN', 'DATABASE_URL', 'DATA_KEYS', 'TOKEN_SIGNING_KEYS'] as const) {
      const message = refusal({ ...good(), [name]: undefined });
      expect(message).toContain(`${name}: thiếu bí mật này`);
      expect(message).toContain('this secret is missing');
      expect(message).toContain('var/secrets.env');
    }
  });

  it('when a secret is too short or malformed, then it is refused naming it', () => {
    expect(refusal({ ...good(), ADMIN_TOKEN: 'short-but-random-x' })).toMatch(
      /ADMIN_TOKEN: quá ngắn \(tối thiểu 32 ký tự\) \/ too short \(at least 32 characters\)/,
    );
    expect(refusal({ ...good(), DATABASE_URL: 'postgres://hopthu:pw@127.0.0.1/x' })).toContain(
      'DATABASE_URL: mật khẩu trong URL quá ngắn',
    );
    expect(refusal({ ...good(), DATA_KEYS: 'k1:abcd' })).toContain('DATA_KEYS: khóa "k1": cần 64 ký tự hex');
    expect(refusal({ ...good(), DATA_KEYS: `${'ab'.repeat(32)}` })).toContain('DATA_KEYS: khóa thứ 1');
    const seed = randomBytes(32).toString('base64url');
    expect(refusal({ ...good(), TOKEN_SIGNING_KEYS: `a:${seed},a:${seed}` })).toContain('kid duy nhất');
  });

  it('when a secret is one of the values once committed as defaults, then it is refused whatever its length', () => {
    const withCommitted = [
      { ADMIN_TOKEN: 'hopthu-dev-admin-token' },
      { DATABASE_URL: 'postgres://hopthu:hopthu@127.0.0.1:5432/hopthu_requests' },
      { DATABASE_URL: 'postgres://vmail_admin:adminpw@127.0.0.1:5432/vmail' },
      { DATA_KEYS: 'k:6b1f0c2e8d4a5b7c9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f' },
    ];
    for (const change of withCommitted) {
      const [name] = Object.keys(change);
      const problems = checkSecrets(Schema, { ...good(), ...change }, nothingInRepository);
      expect(problems.filter((p) => p.variable === name).map((p) => p.en)).toContainEqual(
        expect.stringMatching(/appears in the repository/),
      );
    }
    expect(COMMITTED_SECRET_VALUES).toContain('hopthu-dev-token-secret-change-me-0123456789');
  });

  it('when a secret equals a value found in the repository, then it is refused, even as one key of a ring', () => {
    const leaked = randomBytes(32).toString('hex');
    const env = { ...good(), DATA_KEYS: `new:${randomBytes(32).toString('hex')},old:${leaked}` };
    const problems = checkSecrets(Schema, env, (values) => new Set(values.filter((v) => v === leaked)));
    expect(problems).toEqual([
      expect.objectContaining({
        variable: 'DATA_KEYS',
        vi: expect.stringContaining('có trong kho mã nguồn'),
      }),
    ]);
  });

  it('when a value is in a tracked file of this repository, then git grep finds it; a fresh one is not found', () => {
    // a string this very file holds, and one nobody has seen
    const found = valuesInRepository([
      'hopthu-dev-token-secret-change-me-0123456789',
      randomBytes(24).toString('hex'),
    ]);
    expect([...found]).toEqual(['hopthu-dev-token-secret-change-me-0123456789']);
  });

  it('when a secret schema is declared, then it has no default', () => {
    for (const s of Object.values(Schema.properties)) {
      if ((s as { secret?: unknown }).secret) expect((s as { default?: unknown }).default).toBeUndefined();
    }
  });
});
