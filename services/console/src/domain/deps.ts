// What the console's use cases are given: its own database, a clock, ids, a logger, the session
// rules, and clients of the other services' admin APIs.
import type { Clock, NewId } from '@hopthu/shared/clock';
import type { Logger } from '@hopthu/shared/logger';
import type { Kysely } from 'kysely';
import type { AdminApiClient } from './admin-api.ts';
import type { ConsoleDb } from '../db/schema.ts';
import type { SessionLimits } from './auth/session-policy.ts';

export interface LoginLimits {
  maxFailuresPerUser: number;
  maxFailuresPerIp: number;
  windowMs: number;
}

export interface Upstreams {
  requests: AdminApiClient;
  directory: AdminApiClient;
  provisioner: AdminApiClient;
  notifier: AdminApiClient;
}

export interface ConsoleDeps {
  db: Kysely<ConsoleDb>;
  clock: Clock;
  newId: NewId;
  logger: Logger;
  session: SessionLimits;
  login: LoginLimits;
  upstreams: Upstreams;
}
