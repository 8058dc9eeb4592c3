// Table types of the requests database (snake_case columns; mapped to camelCase in repositories).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface ApiClientsTable {
  client_id: string;
  agency_id: string;
  name: string;
  jwks: Json<{ keys: Record<string, unknown>[] }>;
  created_at: Timestamp;
  disabled_at: Date | null;
}

export interface UsedAssertionsTable {
  jti: string;
  client_id: string;
  expires_at: Timestamp;
}

export interface AgenciesTable {
  agency_id: string;
  province: string;
  domain: string;
  name: string;
  abbreviation: string;
  parent_id: string | null;
  ancestor_ids: string[];
  official_mailbox: string | null;
  updated_at: Timestamp;
  /** When the directory dissolved the unit; null while it lives (a request for it is refused). */
  dissolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface MailboxesTable {
  mailbox_id: string;
  address: string;
  agency_id: string;
  type: string;
  state: string;
  generation: number;
  /** The holder's name (or the agency's for its mailbox), from the directory; null until its next state. */
  display_name: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the replica learned of the mailbox's delete (its state `deleted`); null otherwise or not known. */
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface RequestsTable {
  id: string;
  client_id: string;
  client_agency_id: string;
  agency_id: string;
  province: string;
  status: string;
  received_at: Timestamp;
  due_at: Timestamp;
  due_confirmed: boolean;
  reference: Json<{ number: string; date: string }>;
  requester: Json<{ fullName: string; position?: string; phone?: string }>;
  idempotency_key: string;
  body_hash: string;
  response: Json<unknown>;
  finished_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface StoredPerson {
  familyName: string;
  middleName: string;
  givenName: string;
  position?: string;
  department?: string;
  /** Rank within the request (1 the highest), forwarded to the directory. */
  rank?: number;
  gender?: string;
  /** An old CMND number, sealed like the national ID (AES-256-GCM). */
  legacyNationalIdEnc?: string;
}

export interface RequestItemsTable {
  id: string;
  request_id: string;
  seq: number;
  operation: string;
  mailbox_type: string;
  agency_id: string;
  status: string;
  person: Json<StoredPerson | null>;
  national_id_enc: string | null;
  national_id_hash: string | null;
  date_of_birth_enc: string | null;
  address: string | null;
  changes: Json<Record<string, unknown> | null>;
  reason: string | null;
  /** Đắk Nông Điều 5: why this person may hold a second personal mailbox. */
  exception_reason: ColumnType<string | null, string | null | undefined, string | null>;
  result_address: string | null;
  approvals: ColumnType<string[], string[] | undefined, string[]>;
  approvals_needed: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export interface ItemTransitionsTable {
  id: Generated<number>;
  item_id: string;
  from_status: string | null;
  to_status: string;
  actor: string;
  reason: string | null;
  at: Timestamp;
}

export interface CredentialsTable {
  item_id: string;
  password_enc: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  opened_at: Timestamp | null;
}

/**
 * A bulk request stored and answered whose items are not written yet (expand-request.ts): what
 * writing them needs, sealed with the data key; deleted as they are written.
 */
export interface RequestExpansionsTable {
  request_id: string;
  payload_enc: string;
  /** Keyed hashes of the national IDs of its create items (as request_items.national_id_hash). */
  person_hashes: ColumnType<string[], string[] | undefined, string[]>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface Database {
  api_clients: ApiClientsTable;
  used_assertions: UsedAssertionsTable;
  agencies: AgenciesTable;
  mailboxes: MailboxesTable;
  requests: RequestsTable;
  request_items: RequestItemsTable;
  item_transitions: ItemTransitionsTable;
  credentials: CredentialsTable;
  request_expansions: RequestExpansionsTable;
  password_changes: PasswordChangesTable;
  password_failures: PasswordFailuresTable;
  request_attachments: RequestAttachmentsTable;
  scim_tokens: ScimTokensTable;
  scim_users: ScimUsersTable;
}

/** A SCIM bearer token an operator issued to an API client (docs/scim.md); only its SHA-256 is kept. */
export interface ScimTokensTable {
  id: string;
  client_id: string;
  token_hash: string;
  label: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

/** What an identity provider said of a person it provisioned over SCIM (no national ID, no birth date). */
export interface ScimPerson {
  familyName: string;
  middleName: string;
  givenName: string;
  title?: string;
  department?: string;
  /** The enterprise extension's `organization` as the provider sent it (it named `agency_id`). */
  organization?: string;
}

/** A SCIM User: a person whose personal mailbox the create item `create_item_id` asked for. */
export interface ScimUsersTable {
  id: string;
  client_agency_id: string;
  agency_id: string;
  user_name: string;
  external_id: string | null;
  person: Json<ScimPerson>;
  create_item_id: string;
  mailbox_id: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
}

/** The PDF scan of a paper request an operator entered (Mẫu 01/02/03, Bắc Ninh's Phụ lục 2). */
export interface RequestAttachmentsTable {
  id: string;
  request_id: string;
  form: 'mau01' | 'mau02' | 'mau03' | 'bn_pl2';
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string;
  created_at: Timestamp;
}

/** A password a holder chose on the self-service page or API; its hash left through the outbox. */
export interface PasswordChangesTable {
  id: string;
  mailbox_id: string;
  address: string;
  changed_at: Timestamp;
}

/** A wrong current password, counted per address and per client address for the 429 brake. */
export interface PasswordFailuresTable {
  id: Generated<string>;
  scope: 'address' | 'client';
  key: string;
  failed_at: Timestamp;
}
