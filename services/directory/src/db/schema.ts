// Table types of the directory database (snake_case columns; mapped to camelCase in repositories).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface AgenciesTable {
  id: string;
  province: string;
  domain: string;
  name: string;
  folded_name: string;
  abbreviation: string;
  unit_type: string;
  parent_id: string | null;
  unit_code: string | null;
  official_mailbox_id: string | null;
  valid_from: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AgencyVersionsTable {
  id: Generated<number>;
  agency_id: string;
  name: string;
  abbreviation: string;
  parent_id: string | null;
  valid_from: Timestamp;
  valid_to: Timestamp | null;
  reason: ColumnType<string | null, string | null | undefined, string | null>;
  actor: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PeopleTable {
  id: string;
  province: string;
  family_name: string;
  middle_name: string;
  given_name: string;
  folded_name: string;
  person_key: string | null;
  position: string | null;
  department: string | null;
  agency_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type MailboxStateName = 'provisioning' | 'active' | 'suspended' | 'locked' | 'deleted';

export interface MailboxesTable {
  id: string;
  address: string;
  local_part: string;
  domain: string;
  province: string;
  type: 'personal' | 'agency';
  state: MailboxStateName;
  agency_id: string;
  person_id: string | null;
  quota_bytes: number;
  generation: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The last login the mail server reported (provisioning.activity.v1); null: never used. */
  last_activity_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The last restore: the inactivity period starts again from it. */
  reopened_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type ReclaimState = 'proposed' | 'approved' | 'dismissed' | 'withdrawn';

/** A mailbox unused past its province's period, proposed to operators for reclaiming (deletion). */
export interface ReclaimProposalsTable {
  id: string;
  mailbox_id: string;
  address: string;
  province: string;
  article: string;
  months: number;
  /** The last use (or creation / reopening) the period was counted from. */
  inactive_since: Timestamp;
  last_activity_at: Timestamp | null;
  due_at: Timestamp;
  state: ReclaimState;
  proposed_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
  reason: string | null;
}

export interface AliasesTable {
  address: string;
  local_part: string;
  domain: string;
  mailbox_id: string;
  created_at: Timestamp;
  /** Null: for good. A transition alias (old address after a change) ends here. */
  expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  kind: ColumnType<'alias' | 'transition', 'alias' | 'transition' | undefined, 'alias' | 'transition'>;
  id: Generated<string>;
  generation: Generated<number>;
}

export interface MailGroupsTable {
  id: string;
  address: string;
  local_part: string;
  domain: string;
  province: string;
  kind: 'province' | 'agency';
  agency_id: string | null;
  allowed_senders: string[];
  members_hash: string | null;
  generation: Generated<number>;
  state: Generated<'active' | 'deleted'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReservedAddressesTable {
  domain: string;
  local_part: string;
  reason: string;
  created_at: Timestamp;
}

export interface RetiredAddressesTable {
  id: Generated<number>;
  address: string;
  local_part: string;
  domain: string;
  mailbox_id: string;
  retired_at: Timestamp;
  hold_until: Timestamp;
}

export interface ProvisioningCommandsTable {
  command_id: string;
  mailbox_id: string;
  generation: number;
  action: string;
  request_id: string | null;
  item_id: string | null;
  issued_at: Timestamp;
  outcome: string | null;
  error: string | null;
  resulted_at: Timestamp | null;
  target: ColumnType<'mailbox' | 'alias' | 'group', 'mailbox' | 'alias' | 'group' | undefined, never>;
}

export interface PendingDecisionsTable {
  id: string;
  item_id: string;
  request_id: string;
  agency_id: string;
  province: string;
  item: Json<unknown>;
  candidates: string[];
  reason: string;
  correlation_id: string | null;
  created_at: Timestamp;
  decided_at: Timestamp | null;
  decided_address: string | null;
  decided_by: string | null;
}

export interface MailboxHistoryTable {
  id: Generated<number>;
  mailbox_id: string;
  at: Timestamp;
  change: string;
  reason: string | null;
  request_id: string | null;
  item_id: string | null;
  actor: string;
  details: Json<Record<string, unknown>>;
}

export interface RequestBatchesTable {
  request_id: string;
  province: string;
  item_count: number;
  seen_count: Generated<number>;
  created_at: Timestamp;
}

export interface StagedItemsTable {
  item_id: string;
  seq: Generated<string>;
  request_id: string;
  event: Json<unknown>;
  staged_at: Timestamp;
}

export interface DirectoryDatabase {
  agencies: AgenciesTable;
  agency_versions: AgencyVersionsTable;
  people: PeopleTable;
  mailboxes: MailboxesTable;
  aliases: AliasesTable;
  reserved_addresses: ReservedAddressesTable;
  retired_addresses: RetiredAddressesTable;
  provisioning_commands: ProvisioningCommandsTable;
  pending_decisions: PendingDecisionsTable;
  mailbox_history: MailboxHistoryTable;
  mail_groups: MailGroupsTable;
  request_batches: RequestBatchesTable;
  staged_items: StagedItemsTable;
  reclaim_proposals: ReclaimProposalsTable;
}
