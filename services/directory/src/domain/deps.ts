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
  /**
   * How long an ended address is held back from reissue where the mailbox's province has no policy
   * (a province's `retention.retiredAddressDays` wins). Read only by mailboxes/address-holds.ts.
   */
  retiredHoldDays: number;
  /** How long the old address of a changed address stays an alias of the mailbox (address-holds.ts). */
  renameAliasDays: number;
}

/**
 * What a change to mailboxes needs, inside the transaction `db` of the use case that owns it: ids,
 * and the holds on the addresses it ends (address-holds.ts reads them, nothing else does).
 */
export type ChangeDeps = Pick<DirectoryDeps, 'db' | 'newId' | 'retiredHoldDays' | 'renameAliasDays'>;

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
