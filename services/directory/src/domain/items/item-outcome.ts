// What applying an approved item came to, and what every per-operation function is given.
import type { ItemApproved } from '@hopthu/shared/events';
import type { Agency } from '../../db/agency-repository.ts';
import type { Mailbox } from '../../db/mailbox-repository.ts';
import type { ChangeContext, ChangeDeps, DirectoryDeps } from '../deps.ts';

export type ItemOutcome =
  | { outcome: 'created'; mailbox: Mailbox }
  /** A command went to the provisioner; its result settles the item. */
  | { outcome: 'commanded'; mailbox: Mailbox }
  /** Settled in the directory alone (no mail-server change); a unit item may have no mailbox. */
  | { outcome: 'applied'; mailbox: Mailbox | null }
  | { outcome: 'pending_decision'; candidates: string[] }
  | { outcome: 'failed'; reason: { vi: string; en: string }; mailbox?: Mailbox | null };

/**
 * An item is applied in its caller's transaction (`db`: the consumer's inbox transaction, or an
 * operator's decision), so the item's effects and its inbox row commit together.
 */
export type ItemDeps = ChangeDeps & Pick<DirectoryDeps, 'clock' | 'logger'>;

/** What each operation's function is given: the item, its agency (live), who and when. */
export interface OperationInput {
  item: ItemApproved;
  agency: Agency;
  ctx: ChangeContext;
  /** A local part an operator decided for an item that waited for one. */
  forcedLocal?: string | undefined;
}
