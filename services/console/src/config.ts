// Console configuration: the only reader of process.env. The operator signing key stays here, on
// the server: the browser only ever holds its own session cookie.
import { BaseConfigSchema, loadConfig, SecretKeyRing, SecretString, SecretUrl } from '@hopthu/shared/config';
import { type Static, Type } from '@sinclair/typebox';

export const ConfigSchema = Type.Object({
  ...BaseConfigSchema,
  PORT: Type.Integer({ default: 3005, minimum: 0 }),
  /** postgres://hopthu:<HOPTHU_DB_PASSWORD>@…/hopthu_console (./hopthu passes it). No default. */
  DATABASE_URL: SecretUrl(),
  /**
   * Static bearer token of the console's own /admin routes (operator creation from scripts). The
   * console calls the other services with operator tokens it signs, never with it. Unset, those
   * routes accept only an operator token (docs/operations.md).
   */
  ADMIN_TOKEN: Type.Optional(SecretString(32)),
  /**
   * Ed25519 key (`kid:seed`, 32-byte seed base64url) that signs the operator tokens the console
   * calls the services with; its public half is at /.well-known/operator-jwks.json. No default.
   */
  OPERATOR_SIGNING_KEY: SecretKeyRing('ed25519-seed'),
  REQUESTS_URL: Type.String({ default: 'http://127.0.0.1:3001' }),
  DIRECTORY_URL: Type.String({ default: 'http://127.0.0.1:3002' }),
  PROVISIONER_URL: Type.String({ default: 'http://127.0.0.1:3003' }),
  NOTIFIER_URL: Type.String({ default: 'http://127.0.0.1:3004' }),
  UPSTREAM_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100 }),
  /** A session ends after this long without a request… */
  SESSION_IDLE_MINUTES: Type.Integer({ default: 30, minimum: 1 }),
  /** …and in any case this long after login. */
  SESSION_MAX_HOURS: Type.Integer({ default: 12, minimum: 1 }),
  /** `1` behind HTTPS (adds Secure to the cookie); the local stack is plain HTTP on loopback. */
  COOKIE_SECURE: Type.Union([Type.Literal('0'), Type.Literal('1')], { default: '0' }),
  /** Failed logins allowed per user name, and per client address, within LOGIN_WINDOW_MINUTES. */
  LOGIN_MAX_FAILURES: Type.Integer({ default: 5, minimum: 1 }),
  LOGIN_MAX_FAILURES_PER_IP: Type.Integer({ default: 100, minimum: 1 }),
  LOGIN_WINDOW_MINUTES: Type.Integer({ default: 15, minimum: 1 }),
});
export type Config = Static<typeof ConfigSchema>;

export function readConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  return loadConfig(ConfigSchema, env);
}
