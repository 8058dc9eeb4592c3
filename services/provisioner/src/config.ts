// Provisioner configuration: the only reader of process.env.
import { BaseConfigSchema, loadConfig, SecretString, SecretUrl } from '@hopthu/shared/config';
import { type Static, Type } from '@sinclair/typebox';

export const ConfigSchema = Type.Object({
  ...BaseConfigSchema,
  PORT: Type.Integer({ default: 3003, minimum: 0 }),
  /** postgres://hopthu:<HOPTHU_DB_PASSWORD>@…/hopthu_provisioner (./hopthu passes it). No default. */
  DATABASE_URL: SecretUrl(),
  /**
   * Static bearer token of the admin routes, for local scripts (var/secrets.env; docs/operations.md).
   * Unset, the admin routes accept only the operator tokens the console signs.
   */
  ADMIN_TOKEN: Type.Optional(SecretString(32)),
  /** Kafka consumer group and inbox name. */
  PROVISIONER_CONSUMER: Type.String({ default: 'provisioner' }),
  /** Attempts before an error that is neither known transient nor permanent dead-letters the command. */
  PROVISIONER_MAX_ATTEMPTS: Type.Integer({ default: 5, minimum: 1 }),
  /**
   * 1: a batch's runs of create commands are applied set-wise (one vmail insert, one log upsert,
   * one outbox insert per run); 0: one command at a time, as before (to compare, docs/performance.md).
   */
  PROVISIONER_SET_WISE_CREATES: Type.Union([Type.Literal('0'), Type.Literal('1')], { default: '1' }),
  /** The mail server's own database, written as its owner role (Dovecot and Postfix read it). */
  VMAIL_DATABASE_URL: SecretUrl(),
  DOVEADM_URL: Type.String({ default: 'http://127.0.0.1:8080/doveadm/v1' }),
  /** Dovecot's doveadm HTTP API key (var/secrets.env; Dovecot gets the same one). No default. */
  DOVEADM_API_KEY: SecretString(24),
  DOVEADM_TIMEOUT_MS: Type.Integer({ default: 5000, minimum: 100 }),
  /** Root of the maildirs (vmail.mailbox.maildir is relative to it). */
  VMAIL_ROOT: Type.String({ default: '/var/vmail' }),
  /** Where a deleted mailbox's maildir is kept; default `<VMAIL_ROOT>/.retention`. */
  VMAIL_RETENTION_DIR: Type.String({ default: '' }),
  /**
   * Full days a deleted mailbox's mail stays in retention before the purge removes it, for a
   * domain of no province: a province's own is `retention.deletedMailDays` of its policy file (see
   * docs/provisioner.md, "Retention"). 0: removed on the next day.
   */
  VMAIL_RETENTION_DAYS: Type.Integer({ default: 90, minimum: 0 }),
  /** How often the retention purge looks for day folders past their period. */
  RETENTION_PURGE_INTERVAL_MS: Type.Integer({ default: 3_600_000, minimum: 1000 }),
  /**
   * How often each mailbox's last login is read from the mail server and, where it changed,
   * reported to the directory (provisioning.activity.v1) for the inactivity rules.
   */
  ACTIVITY_REPORT_INTERVAL_MS: Type.Integer({ default: 3_600_000, minimum: 1000 }),
  /** How long the old address of a renamed mailbox keeps forwarding to the new one. */
  RENAME_ALIAS_DAYS: Type.Integer({ default: 90, minimum: 0 }),
});
export type Config = Static<typeof ConfigSchema>;

export function readConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  return loadConfig(ConfigSchema, env);
}
