// The requests service's configuration: the only reader of process.env here.
import { BaseConfigSchema, loadConfig, SecretKeyRing, SecretString, SecretUrl } from '@hopthu/shared/config';
import { Type } from '@sinclair/typebox';

export const ConfigSchema = Type.Object({
  ...BaseConfigSchema,
  PORT: Type.Integer({ default: 3001 }),
  /** postgres://hopthu:<HOPTHU_DB_PASSWORD>@…/hopthu_requests (./hopthu passes it). No default. */
  DATABASE_URL: SecretUrl(),
  /** Bearer token of the admin routes (var/secrets.env; docs/operations.md). No default. */
  ADMIN_TOKEN: Type.Optional(SecretString(32)),
  PUBLIC_URL: Type.String({ default: 'http://127.0.0.1:3001' }),
  /**
   * Ed25519 keys that sign access tokens (EdDSA), `kid:seed[,kid:seed]`: the first signs, the others
   * only verify (rotation, docs/operations.md). Their public halves are at /.well-known/jwks.json.
   */
  TOKEN_SIGNING_KEYS: SecretKeyRing('ed25519-seed'),
  ACCESS_TOKEN_SECONDS: Type.Integer({ default: 300, minimum: 30 }),
  /**
   * AES-256-GCM keys for one-time credentials and personal data, `kid:hex[,kid:hex]`: the first
   * encrypts, every one decrypts (a ciphertext names its key; rotation re-encrypts, docs/operations.md).
   */
  DATA_KEYS: SecretKeyRing('aes-256'),
  /** HMAC-SHA256 key of the national ID's keyed hash (look-ups, the directory's person key); 64 hex. */
  NATIONAL_ID_HASH_KEY: SecretString(64),
  CREDENTIAL_TTL_HOURS: Type.Integer({ default: 72, minimum: 1 }),
  /** Working days to answer, for an agency whose province has no policy file (the policy's `sla` wins). */
  SLA_WORKING_DAYS: Type.Integer({ default: 2, minimum: 1 }),
  /** Agency API calls per API client per minute. */
  RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 1200, minimum: 1 }),
  /** Token requests per remote address per minute. */
  TOKEN_RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 600, minimum: 1 }),
  /** Largest accepted request body (1000 items fit in 1 MiB). */
  BODY_LIMIT_BYTES: Type.Integer({ default: 1_048_576, minimum: 1024 }),
  /** Largest PDF scan of a paper request an operator enters on the console (POST /admin/paper-requests). */
  SCAN_MAX_BYTES: Type.Integer({ default: 10_485_760, minimum: 1024 }),
  /** Optional JSON file of approval policies merged over the built-in ones (docs/approval.md). */
  APPROVAL_POLICY_FILE: Type.Optional(Type.String({ minLength: 1 })),
  /** Dovecot's auth service (loopback listener): the self-service page checks current passwords there. */
  DOVECOT_AUTH_HOST: Type.String({ default: '127.0.0.1' }),
  DOVECOT_AUTH_PORT: Type.Integer({ default: 12341, minimum: 1, maximum: 65535 }),
  /** Self-service brake: wrong current passwords allowed per address, per client address, per window. */
  SELF_SERVICE_FAILURES_PER_ADDRESS: Type.Integer({ default: 5, minimum: 1 }),
  SELF_SERVICE_FAILURES_PER_CLIENT: Type.Integer({ default: 20, minimum: 1 }),
  SELF_SERVICE_WINDOW_SECONDS: Type.Integer({ default: 900, minimum: 1 }),
  /**
   * Comma-separated addresses of reverse proxies in front of this service whose X-Forwarded-For
   * names the client (the self-service brake counts per client address). Empty: none.
   */
  TRUSTED_PROXIES: Type.String({ default: '127.0.0.1' }),
});
export type Config = ReturnType<typeof loadRequestsConfig>;
export const loadRequestsConfig = () => loadConfig(ConfigSchema);
