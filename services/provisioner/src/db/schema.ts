// Kysely table types of the provisioner's own database (hopthu_provisioner).
import type { ColumnType, Generated } from 'kysely';

export type Outcome = 'applied' | 'skipped' | 'failed';

export interface AppliedCommandsTable {
  command_id: string;
  mailbox_id: string;
  generation: number;
  action: string;
  address: string;
  outcome: Outcome;
  attempts: number;
  error: string | null;
  event_id: string;
  applied_at: ColumnType<Date, Date | undefined, Date>;
}

export interface DeadLettersTable {
  id: string;
  /** event id, or topic/partition/offset for a message that was not a valid event: one row per message. */
  source_key: string;
  event_id: string | null;
  command_id: string | null;
  mailbox_id: string | null;
  topic: string;
  partition: number;
  offset: string;
  message_key: string | null;
  payload: string | null;
  headers: ColumnType<Record<string, string>, string, string>;
  error: string;
  attempts: number;
  created_at: Generated<Date>;
  replayed_at: Date | null;
  replay_event_id: string | null;
}

/** The directory's published mailbox state (hopthu.directory.v1), for the drift check. */
export interface DirectoryMailboxesTable {
  mailbox_id: string;
  address: string;
  domain: string;
  state: string;
  quota_bytes: ColumnType<string | number, number, number>;
  generation: ColumnType<string | number, number, number>;
  aliases: ColumnType<string[], string, string>;
  /** Where the directory forwards the mailbox's mail too (forwardTo); null: no forward. */
  forward_to: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** The last login reported per mailbox (provisioning.activity.v1). */
export interface ActivityReportsTable {
  mailbox_id: string;
  address: string;
  /** The latest use reported (login, send or delivery; the column kept its first name). */
  last_login_at: Date;
  reported_at: Date;
}

export interface ProvisionerDb {
  activity_reports: ActivityReportsTable;
  applied_commands: AppliedCommandsTable;
  dead_letters: DeadLettersTable;
  directory_mailboxes: DirectoryMailboxesTable;
}
