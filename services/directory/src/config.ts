// Directory configuration: the only reader of process.env.
import { BaseConfigSchema, loadConfig, SecretString, SecretUrl } from '@hopthu/shared/config';
import { type Static, Type } from '@sinclair/typebox';

export const DirectoryConfigSchema = Type.Object({
  ...BaseConfigSchema,
  PORT: Type.Integer({ default: 3002 }),
  /** postgres://hopthu:<HOPTHU_DB_PASSWORD>@…/hopthu_directory (./hopthu passes it). No default. */
  DATABASE_URL: SecretUrl(),
  /**
   * Static bearer token of the admin routes, for local scripts (var/secrets.env; docs/operations.md).
   * Unset, the admin routes accept only the operator tokens the console signs.
   */
  ADMIN_TOKEN: Type.Optional(SecretString(32)),
  /** Days a deleted mailbox's address is held back from reissue, for a province without a policy file (its `retention.retiredAddressDays` wins). */
  RETIRED_HOLD_DAYS: Type.Integer({ default: 365, minimum: 0 }),
  /** Days the old address of a changed address keeps forwarding to the new one (transition alias). */
  RENAME_ALIAS_DAYS: Type.Integer({ default: 90, minimum: 0 }),
  /** How often group addresses are re-derived from the tree (members joined, moved or left). */
  /** Kiên Giang: how long a request's staged items wait for the rest of the request before being served by rank. */
  RANK_BATCH_SETTLE_MS: Type.Integer({ default: 2000, minimum: 0 }),
  GROUP_SYNC_INTERVAL_MS: Type.Integer({ default: 30_000, minimum: 1000 }),
  /** How often aliases past their end (old addresses after a change) are looked for and ended. */
  ALIAS_EXPIRY_INTERVAL_MS: Type.Integer({ default: 10_000, minimum: 100 }),
  /** How often the inactivity rules are applied (regulations §6: lock or propose a reclaim). */
  INACTIVITY_SWEEP_INTERVAL_MS: Type.Integer({ default: 86_400_000, minimum: 1000 }),
  /** Reorganisations: mailboxes per apply transaction, and how many such batches run at once. */
  REORGANISATION_BATCH_SIZE: Type.Integer({ default: 100, minimum: 1, maximum: 5000 }),
  REORGANISATION_WORKERS: Type.Integer({ default: 4, minimum: 1, maximum: 16 }),
});
export type DirectoryConfig = Static<typeof DirectoryConfigSchema>;

export function readConfig(env: Record<string, string | undefined> = process.env): DirectoryConfig {
  return loadConfig(DirectoryConfigSchema, env);
}
