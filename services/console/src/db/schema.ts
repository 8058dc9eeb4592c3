// Kysely table types of the console database (snake_case, as in SQL).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type Role = 'operator' | 'admin';
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
  id: Generated<number>;
  at: Timestamp;
  operator_id: string | null;
  username: string;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  client_ip: string | null;
}

export interface ConsoleDb {
  operators: OperatorsTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
}
