// Notifier configuration: the only reader of process.env.
import { BaseConfigSchema, loadConfig, SecretString, SecretUrl } from '@hopthu/shared/config';
import { type Static, Type } from '@sinclair/typebox';

export const ConfigSchema = Type.Object({
  ...BaseConfigSchema,
  PORT: Type.Integer({ default: 3004, minimum: 0 }),
  /** postgres://hopthu:<HOPTHU_DB_PASSWORD>@…/hopthu_notifier (./hopthu passes it). No default. */
  DATABASE_URL: SecretUrl(),
  /**
   * Static bearer token of the admin routes, for local scripts (var/secrets.env; docs/operations.md).
   * Unset, the admin routes accept only the operator tokens the console signs.
   */
  ADMIN_TOKEN: Type.Optional(SecretString(32)),
  /** Kafka consumer group and inbox name. Tests may run a second notifier under another name. */
  NOTIFIER_CONSUMER: Type.String({ default: 'notifier' }),
  SMTP_HOST: Type.String({ default: '127.0.0.1' }),
  SMTP_PORT: Type.Integer({ default: 2525 }),
  /** Local Postfix offers STARTTLS with a self-signed certificate; plain SMTP on loopback. */
  SMTP_IGNORE_TLS: Type.Union([Type.Literal('0'), Type.Literal('1')], { default: '1' }),
  MAIL_FROM: Type.String({ default: 'no-reply@bacninh.gov.vn' }),
  MAIL_FROM_NAME: Type.String({ default: 'Hệ thống hộp thư công vụ' }),
  OPERATORS_MAILBOX: Type.String({ default: 'noc@bacninh.gov.vn' }),
  SWEEP_INTERVAL_MS: Type.Integer({ default: 1000, minimum: 50 }),
  DELIVERY_POLL_MS: Type.Integer({ default: 500, minimum: 50 }),
  DELIVERY_MAX_ATTEMPTS: Type.Integer({ default: 12, minimum: 1 }),
  DELIVERY_BACKOFF_BASE_MS: Type.Integer({ default: 1000, minimum: 1 }),
  DELIVERY_BACKOFF_MAX_MS: Type.Integer({ default: 600_000, minimum: 1 }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100 }),
  // How long a claimed delivery is held before it is tried again; longer than one send can take
  // (SMTP connection 10 s + socket 30 s, webhook WEBHOOK_TIMEOUT_MS). After a crash, the
  // deliveries the dead worker held go out once this has passed.
  DELIVERY_LEASE_MS: Type.Integer({ default: 60_000, minimum: 1_000 }),
});
export type Config = Static<typeof ConfigSchema>;

export function readConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  return loadConfig(ConfigSchema, env);
}
