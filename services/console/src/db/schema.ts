// Kysely table types of the console database (snake_case, as in SQL).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type Role = 'operator' | 'approver' | 'auditor' | 'admin';
export type AuditOutcome = 'ok' | 'refused' | 'failed';

export interface OperatorsTable {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled_at: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface SessionsTable {
  token_hash: string;
  operator_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  client_ip: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  username: string;
  client_ip: string;
  succeeded: boolean;
  at: Timestamp;
}

export interface AuditLogTable {
  /** bigserial: pg returns int8 as a string. */
  id: Generated<string>;
  at: Timestamp;
  operator_id: string | null;
  username: string;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  client_ip: string | null;
  /** The hash of the entry before (the chain's genesis for the first). */
  prev_hash: string;
  /** SHA-256 (hex) over this entry's canonical content and prev_hash. */
  hash: string;
}

export interface ConsoleDb {
  operators: OperatorsTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
}
