// Configuration is read once, from the environment only, checked against a TypeBox schema and frozen.
// A service's config.ts is the only place that calls this.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { type Static, type TObject, type TString, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(message: string) {
    super(message);
    // A refused start shows the operator the problems, not a stack trace into this file.
    this.stack = `${this.name}: ${message}`;
  }
}

export function loadConfig<T extends TObject>(
  schema: T,
  env: Record<string, string | undefined> = process.env,
): Readonly<Static<T>> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  }
  // Secrets first: each names its variable in Vietnamese and English, and TypeBox's own
  // (English-only) complaint about the same variable is left out.
  const secretProblems = checkSecrets(schema, env);
  const refusedSecrets = new Set(secretProblems.map((p) => p.variable));
  const withDefaults = Value.Default(schema, raw);
  const converted = Value.Convert(schema, withDefaults);
  const problems = [
    ...secretProblems.map((p) => `${p.variable}: ${p.vi} / ${p.en}`),
    ...[...Value.Errors(schema, converted)]
      .filter((e) => !refusedSecrets.has(e.path.slice(1).split('/')[0] ?? ''))
      .map((e) => `${e.path.slice(1) || '(root)'}: ${e.message}`),
  ];
  if (problems.length > 0) {
    throw new ConfigError(
      `cấu hình không hợp lệ, dịch vụ không khởi động / invalid configuration, the service does not start:\n  ${problems.join('\n  ')}`,
    );
  }
  return Object.freeze(converted as Static<T>);
}

/** Settings every service has. Local defaults match what `./hopthu up` starts. */
export const BaseConfigSchema = {
  HOST: Type.String({ default: '127.0.0.1' }),
  KAFKA_BROKERS: Type.String({ default: '127.0.0.1:9092' }),
  /** The Kafka client library behind the bus adapter (docs/kafka.md): kafkajs or platformatic. */
  KAFKA_CLIENT: Type.Union([Type.Literal('kafkajs'), Type.Literal('platformatic')], {
    default: 'kafkajs',
  }),
  LOG_LEVEL: Type.String({ default: 'info' }),
  /** A directory of the installation's own province policy files (`<id>.json`, docs/provinces.md). */
  PROVINCE_POLICY_DIR: Type.Optional(Type.String({ minLength: 1 })),
  /** The console's public keys: admin APIs accept the operator tokens they verify (operator-token.ts). */
  OPERATOR_JWKS_URL: Type.String({ default: 'http://127.0.0.1:3005/.well-known/operator-jwks.json' }),
};

// ---- secrets ------------------------------------------------------------------------------------
// A secret never has a default: `./hopthu up` generates each one into var/secrets.env and the
// services get them from the environment. A service refuses to start when a secret is missing,
// too short, malformed, or equal to a value that appears in the repository (anyone who can read
// the code knows those): there is no "production mode" to forget.

/** How a secret's value is checked. Stored on the schema as the `secret` option. */
export type SecretSpec =
  /** The whole value is the secret. */
  | { kind: 'token'; minLength: number }
  /** The password inside a connection URL (`postgres://user:password@host/db`). */
  | { kind: 'url'; minLength: number }
  /** `kid:material[,kid:material…]`, the first one in use; materials in one encoding. */
  | { kind: 'key-ring'; material: KeyMaterial };

export type KeyMaterial = 'ed25519-seed' | 'aes-256';

const MATERIAL: Record<KeyMaterial, { pattern: RegExp; vi: string; en: string }> = {
  'ed25519-seed': {
    pattern: /^[A-Za-z0-9_-]{43}$/,
    vi: '32 byte base64url (hạt giống khóa Ed25519)',
    en: '32 bytes as base64url (an Ed25519 key seed)',
  },
  'aes-256': {
    pattern: /^[0-9a-f]{64}$/,
    vi: '64 ký tự hex (khóa AES-256)',
    en: '64 hex characters (an AES-256 key)',
  },
};
const KID = /^[A-Za-z0-9_-]{1,64}$/;

/** A secret string of at least `minLength` characters. No default, by design. */
export function SecretString(minLength: number, options: { description?: string } = {}): TString {
  return Type.String({ ...options, secret: { kind: 'token', minLength } satisfies SecretSpec });
}

/** A connection URL whose password is a secret (at least 16 characters when present). */
export function SecretUrl(options: { description?: string } = {}): TString {
  return Type.String({ ...options, secret: { kind: 'url', minLength: 16 } satisfies SecretSpec });
}

/** A key ring `kid:material[,kid:material…]`: the first key is the one in use, the others only read. */
export function SecretKeyRing(material: KeyMaterial, options: { description?: string } = {}): TString {
  return Type.String({ ...options, secret: { kind: 'key-ring', material } satisfies SecretSpec });
}

/** The variables of a config schema that hold secrets. */
export function secretVariables(schema: TObject): string[] {
  return Object.entries(schema.properties)
    .filter(([, s]) => (s as { secret?: SecretSpec }).secret !== undefined)
    .map(([k]) => k);
}

export interface RingKey {
  kid: string;
  material: string;
}

/** Parses a key ring value (`kid:material,…`); throws on a malformed one (loadConfig checked it). */
export function parseKeyRing(value: string): RingKey[] {
  return value.split(',').map((entry) => {
    const at = entry.indexOf(':');
    if (at < 0) return { kid: '', material: entry.trim() };
    return { kid: entry.slice(0, at).trim(), material: entry.slice(at + 1).trim() };
  });
}

/**
 * Values that were committed as defaults before secrets were generated: refused even where the
 * repository's files no longer hold them (git history does).
 */
export const COMMITTED_SECRET_VALUES: readonly string[] = [
  'hopthu-dev-admin-token',
  'hopthu-dev-token-secret-change-me-0123456789',
  '6b1f0c2e8d4a5b7c9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f',
  'hopthu-dev-doveadm-key',
  'hopthu',
  'adminpw',
  'dovecotpw',
  'postfixpw',
];

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

/**
 * Which of `values` occur in a file tracked by the repository this code runs from (`git grep`,
 * fixed strings, the working tree's tracked files). Where there is no git or no repository, none:
 * COMMITTED_SECRET_VALUES still applies.
 */
export function valuesInRepository(values: readonly string[], root: string = repoRoot): Set<string> {
  const wanted = [...new Set(values.filter((v) => v.length >= 6 && !v.includes('\n')))];
  if (wanted.length === 0) return new Set();
  try {
    // the candidates go in on stdin, never as arguments: a process's arguments are visible to
    // every local user (ps, /proc/<pid>/cmdline)
    const out = execFileSync('git', ['-C', root, 'grep', '-I', '-F', '-o', '-h', '--no-color', '-f', '-'], {
      input: `${wanted.join('\n')}\n`,
      encoding: 'utf8',
      timeout: 15_000,
      stdio: ['pipe', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
    return new Set(out.split('\n').filter((line) => wanted.includes(line)));
  } catch {
    // exit 1: nothing found; 128: not a repository; ENOENT: no git
    return new Set();
  }
}

export interface SecretProblem {
  variable: string;
  vi: string;
  en: string;
}

/** The problems of every secret of `schema` in `env` (none when all are fine). */
export function checkSecrets(
  schema: TObject,
  env: Record<string, string | undefined>,
  inRepository: (values: readonly string[]) => Set<string> = valuesInRepository,
): SecretProblem[] {
  const problems: SecretProblem[] = [];
  const candidates: { variable: string; value: string }[] = [];
  for (const [variable, s] of Object.entries(schema.properties)) {
    const spec = (s as { secret?: SecretSpec }).secret;
    if (!spec) continue;
    const value = env[variable]?.trim();
    const problem = (vi: string, en: string) => problems.push({ variable, vi, en });
    // an optional secret (ADMIN_TOKEN where operator tokens suffice) may be left unset
    if (!value && !(schema.required ?? []).includes(variable)) continue;
    if (!value) {
      problem(
        'thiếu bí mật này (./hopthu up sinh nó vào var/secrets.env)',
        'this secret is missing (./hopthu up generates it into var/secrets.env)',
      );
      continue;
    }
    if (spec.kind === 'token') {
      if (value.length < spec.minLength)
        problem(
          `quá ngắn (tối thiểu ${spec.minLength} ký tự)`,
          `too short (at least ${spec.minLength} characters)`,
        );
      candidates.push({ variable, value });
    } else if (spec.kind === 'url') {
      let password = '';
      try {
        password = decodeURIComponent(new URL(value).password);
      } catch {
        problem('không phải URL hợp lệ', 'not a valid URL');
        continue;
      }
      if (password && password.length < spec.minLength)
        problem(
          `mật khẩu trong URL quá ngắn (tối thiểu ${spec.minLength} ký tự)`,
          `the password in the URL is too short (at least ${spec.minLength} characters)`,
        );
      if (password) candidates.push({ variable, value: password });
    } else {
      const m = MATERIAL[spec.material];
      const ring = parseKeyRing(value);
      const kids = new Set<string>();
      ring.forEach((k, i) => {
        if (!KID.test(k.kid) || kids.has(k.kid))
          problem(
            `khóa thứ ${i + 1}: cần "kid:khóa" với kid duy nhất (chữ, số, - hoặc _)`,
            `key ${i + 1}: expected "kid:key" with a unique kid (letters, digits, - or _)`,
          );
        else if (!m.pattern.test(k.material))
          problem(`khóa "${k.kid}": cần ${m.vi}`, `key "${k.kid}": expected ${m.en}`);
        kids.add(k.kid);
        candidates.push({ variable, value: k.material });
      });
      candidates.push({ variable, value });
    }
  }
  const committed = new Set(COMMITTED_SECRET_VALUES);
  const found = inRepository(candidates.map((c) => c.value));
  const reported = new Set<string>();
  for (const c of candidates) {
    if ((committed.has(c.value) || found.has(c.value)) && !reported.has(c.variable)) {
      reported.add(c.variable);
      problems.push({
        variable: c.variable,
        vi: 'giá trị này có trong kho mã nguồn nên ai cũng biết; dùng giá trị do ./hopthu up sinh ngẫu nhiên',
        en: 'this value appears in the repository, so anyone knows it; use the one ./hopthu up generates',
      });
    }
  }
  return problems;
}
