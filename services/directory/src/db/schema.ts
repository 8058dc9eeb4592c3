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
  /** Merged away or dissolved by a reorganisation (the row stays: history, its name held back). */
  dissolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  dissolved_into: ColumnType<string | null, string | null | undefined, string | null>;
  /** The province before a merger of provinces (reorganisation plans name agencies by it). */
  former_province: ColumnType<string | null, string | null | undefined, string | null>;
  /** The Idempotency-Key of the registration that created it (a retry answers this agency). */
  registration_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** Why and by whom the unit was dissolved on its own (not by a reorganisation). */
  dissolved_reason: ColumnType<string | null, string | null | undefined, string | null>;
  dissolved_by: ColumnType<string | null, string | null | undefined, string | null>;
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
  /** The unit code (QĐ 20/2020/QĐ-TTg) the version carries. */
  unit_code: ColumnType<string | null, string | null | undefined, string | null>;
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
  /** Reclaimed but kept for a reissue (Kiên Giang Điều 5 khoản 4) until then; a restore clears it. */
  reclaimed_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** A known absence of the holder (leave, study): no inactivity lock or reclaim before it ends. */
  absent_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  absence_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the current password was issued (create, reset, restore with a password); null: none issued. */
  password_issued_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When the holder last chose a password on the self-service page. */
  password_changed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Imported with an address that does not follow the province's rule (kept; convertible later). */
  legacy: ColumnType<boolean, boolean | undefined, boolean>;
  /** Where the mailbox's mail is forwarded too (set_forward), a copy kept; null: no forward. */
  forward_to: ColumnType<string | null, string | null | undefined, string | null>;
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
  target: ColumnType<
    'mailbox' | 'alias' | 'group' | 'domain',
    'mailbox' | 'alias' | 'group' | 'domain' | undefined,
    never
  >;
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

/** A province's domains: one primary (new addresses) and alias domains (mail to x@alias reaches x@primary). */
export interface ProvinceDomainsTable {
  id: string;
  province: string;
  domain: string;
  kind: 'primary' | 'alias';
  generation: number;
  added_at: Timestamp;
  added_by: string;
  reason: string | null;
}

export interface ProvinceDomainHistoryTable {
  id: Generated<string>;
  province: string;
  domain: string;
  /** `seeded` (from the policy at start), `alias_added`, `alias_removed`, `merged_from` (a reorganisation). */
  change: string;
  at: Timestamp;
  actor: string;
  reason: string | null;
}

/** `scheduled`: approved and asked to apply before its effective date; applied on that date. */
export type ReorganisationState =
  | 'computed'
  | 'approved'
  | 'scheduled'
  | 'applying'
  | 'applied'
  | 'cancelled';

export interface ReorganisationsTable {
  id: string;
  plan: Json<unknown>;
  plan_digest: string;
  title: string;
  effective_from: ColumnType<string, string, string>;
  state: ReorganisationState;
  summary: Json<unknown>;
  structure: Json<unknown>;
  conflict_count: number;
  change_count: number;
  applied_count: Generated<number>;
  structure_done: Generated<boolean>;
  created_at: Timestamp;
  created_by: string;
  apply_started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  applied_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Who asked for the apply of a plan that then waited for its effective date. */
  scheduled_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** Who cancelled a plan before it was applied, when and why. */
  cancelled_by: ColumnType<string | null, string | null | undefined, string | null>;
  cancelled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  cancel_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ReorganisationChangesTable {
  reorganisation_id: string;
  seq: number;
  mailbox_id: string;
  kind: 'readdress' | 'move' | 'retire' | 'alias';
  agency_id: string;
  from_agency_id: string;
  from_address: string;
  to_address: string;
  alias_target_agency_id: string | null;
  display_name: string;
  state: Generated<'pending' | 'applied' | 'skipped'>;
  note: string | null;
  applied_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface ReorganisationApprovalsTable {
  reorganisation_id: string;
  operator: string;
  reason: string;
  at: Timestamp;
}

/** An import of a province's existing mail system: its files, plan counts and state. */
export interface ImportJobsTable {
  id: string;
  province: string;
  /** SHA-256 of the province and both files: the same files continue the same job. */
  digest: string;
  state: 'planned' | 'applying' | 'applied' | 'failed';
  agencies_text: string;
  mailboxes_text: string;
  mailboxes_format: string;
  agency_count: number;
  mailbox_count: number;
  legacy_count: number;
  conflict_count: number;
  error: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  apply_started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  applied_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When the one-time credentials of its mailboxes imported without a password were asked for. */
  credentials_requested_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** One imported agency (key: abbreviation) or mailbox (key: address): what a later run skips. */
export interface ImportRowsTable {
  province: string;
  kind: 'agency' | 'mailbox';
  key: string;
  job_id: string;
  entity_id: string;
  /** A mailbox imported as suspended or locked: the state it takes once the mail server has it. */
  target_state: string | null;
  published: Generated<boolean>;
  at: Timestamp;
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
  province_domains: ProvinceDomainsTable;
  province_domain_history: ProvinceDomainHistoryTable;
  reorganisations: ReorganisationsTable;
  reorganisation_changes: ReorganisationChangesTable;
  reorganisation_approvals: ReorganisationApprovalsTable;
  import_jobs: ImportJobsTable;
  import_rows: ImportRowsTable;
}
