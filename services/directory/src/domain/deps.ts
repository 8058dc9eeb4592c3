// What every directory use case is given: no module singletons, so tests can swap any of them.
import type { Clock, NewId } from '@hopthu/shared/clock';
import type { Logger } from '@hopthu/shared/logger';
import type { Kysely } from 'kysely';
import type { DirectoryDatabase } from '../db/schema.ts';

export type Db = Kysely<DirectoryDatabase>;

export interface DirectoryDeps {
  db: Db;
  logger: Logger;
  clock: Clock;
  newId: NewId;
  /** How long a deleted mailbox's address is held back from reissue. */
  retiredHoldDays: number;
  /** How long the old address of a changed address stays an alias of the mailbox. */
  renameAliasDays: number;
}

/** Where an event or a change came from: carried onto every event emitted for it. */
export interface ChangeContext {
  at: Date;
  actor: string;
  correlationId?: string | undefined;
  requestId: string | null;
  itemId: string | null;
  reason: string | null;
}

export const EVENT_SOURCE = 'urn:hopthu:directory';
