// How long an address a mailbox leaves stays out of reach, in one place: a retired address (a
// deleted mailbox's, or a changed address once its transition ends) is held back from reissue for
// its province's `retention.retiredAddressDays` (RETIRED_HOLD_DAYS only for a province without a
// policy); the old address of a changed address stays the mailbox's alias for RENAME_ALIAS_DAYS.
import { findPolicy } from '@hopthu/naming';
import { insertRetiredAddresses } from '../../db/address-repository.ts';
import type { Mailbox } from '../../db/mailbox-repository.ts';
import type { ChangeDeps, DirectoryDeps } from '../deps.ts';

const DAY_MS = 24 * 3600 * 1000;

type Holds = Pick<DirectoryDeps, 'retiredHoldDays' | 'renameAliasDays'>;

/** Days an address of the province is held back once retired. */
export function retiredHoldDaysFor(deps: Holds, province: string): number {
  return findPolicy(province)?.retention.retiredAddressDays ?? deps.retiredHoldDays;
}

/** Until when the old address of an address changed at `at` stays the mailbox's transition alias. */
export function transitionAliasUntil(deps: Holds, at: Date): Date {
  return new Date(at.getTime() + deps.renameAliasDays * DAY_MS);
}

/**
 * Holds the addresses back from reissue: retired at `ctx.at`, held from `from` (default: then; a
 * changed address from the end of its transition alias) for the province's hold.
 */
export async function holdRetiredAddresses(
  deps: Pick<ChangeDeps, 'db' | 'retiredHoldDays' | 'renameAliasDays'>,
  retired: readonly {
    mailbox: Pick<Mailbox, 'id' | 'address' | 'localPart' | 'domain' | 'province'>;
    from?: Date;
  }[],
  at: Date,
): Promise<void> {
  await insertRetiredAddresses(
    deps.db,
    retired.map(({ mailbox, from }) => ({
      address: mailbox.address,
      localPart: mailbox.localPart,
      domain: mailbox.domain,
      mailboxId: mailbox.id,
      retiredAt: at,
      holdUntil: new Date((from ?? at).getTime() + retiredHoldDaysFor(deps, mailbox.province) * DAY_MS),
    })),
  );
}
