// The requests service's configuration: the only reader of process.env here.
import { BaseConfigSchema, loadConfig } from '@hopthu/shared/config';
import { Type } from '@sinclair/typebox';

export const ConfigSchema = Type.Object({
  ...BaseConfigSchema,
  PORT: Type.Integer({ default: 3001 }),
  DATABASE_URL: Type.String({ default: 'postgres://hopthu:hopthu@127.0.0.1:5432/hopthu_requests' }),
  ADMIN_TOKEN: Type.String({ default: 'hopthu-dev-admin-token', minLength: 8 }),
  PUBLIC_URL: Type.String({ default: 'http://127.0.0.1:3001' }),
  /** Signs access tokens (HS256). Local default only. */
  TOKEN_SECRET: Type.String({ default: 'hopthu-dev-token-secret-change-me-0123456789', minLength: 32 }),
  ACCESS_TOKEN_SECONDS: Type.Integer({ default: 300, minimum: 30 }),
  /** 64 hex characters: AES-256-GCM key for one-time credentials and personal data. Local default only. */
  DATA_KEY: Type.String({
    default: '6b1f0c2e8d4a5b7c9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f',
    pattern: '^[0-9a-f]{64}$',
  }),
  CREDENTIAL_TTL_HOURS: Type.Integer({ default: 72, minimum: 1 }),
  /** Working days to answer, for an agency whose province has no policy file (the policy's `sla` wins). */
  SLA_WORKING_DAYS: Type.Integer({ default: 2, minimum: 1 }),
  /** Agency API calls per API client per minute. */
  RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 1200, minimum: 1 }),
  /** Token requests per remote address per minute. */
  TOKEN_RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 600, minimum: 1 }),
  /** Largest accepted request body (1000 items fit in 1 MiB). */
  BODY_LIMIT_BYTES: Type.Integer({ default: 1_048_576, minimum: 1024 }),
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
