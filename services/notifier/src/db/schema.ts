// Kysely table types of the notifier database (snake_case, as in SQL).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface AgenciesTable {
  agency_id: string;
  province: string;
  domain: string;
  name: string;
  abbreviation: string;
  official_mailbox: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface WebhookSubscriptionsTable {
  agency_id: string;
  url: string;
  secret: string;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface Reference {
  number: string;
  date: string;
}

export interface DeadlinesTable {
  request_id: string;
  agency_id: string;
  province: string;
  reference: Json<Reference>;
  item_count: number;
  received_at: Timestamp;
  due_at: Timestamp;
  closed_at: Timestamp | null;
  final_status: string | null;
  /** Null when the submitted event did not say (older producers). */
  due_confirmed: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export type TimerKind = 'half_time' | 'due_day_morning' | 'breach';

export interface DeadlineTimersTable {
  request_id: string;
  kind: TimerKind;
  fire_at: Timestamp;
  fired_at: Timestamp | null;
  cancelled_at: Timestamp | null;
}

export interface WarningsTable {
  id: string;
  request_id: string;
  kind: TimerKind;
  agency_id: string;
  reference: Json<Reference>;
  received_at: Timestamp;
  due_at: Timestamp;
  fire_at: Timestamp;
  fired_at: Timestamp;
}

export type DeliveryKind = 'mail' | 'webhook';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveriesTable {
  id: string;
  kind: DeliveryKind;
  purpose: string;
  request_id: string | null;
  agency_id: string | null;
  target: string | null;
  payload: Json<Record<string, unknown>>;
  body: string | null;
  message_id: string | null;
  webhook_id: string | null;
  status: DeliveryStatus;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}

export interface DeliveryAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  attempt: number;
  started_at: Timestamp;
  finished_at: Timestamp;
  outcome: 'delivered' | 'retry' | 'failed';
  status_code: number | null;
  error: string | null;
}

export interface NotifierDb {
  agencies: AgenciesTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  deadlines: DeadlinesTable;
  deadline_timers: DeadlineTimersTable;
  warnings: WarningsTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
}
