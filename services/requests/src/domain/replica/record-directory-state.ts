// The directory replica follows hopthu.directory.v1: each agency's and mailbox's latest state,
// written in the inbox consumer's transaction (given as `deps.db`). Authorisation and ownership
// checks read it.
import type { Clock } from '@hopthu/shared/clock';
import type { EventData } from '@hopthu/shared/events';
import type { Transaction } from 'kysely';
import { upsertAgency, upsertMailbox } from '../../db/replica-repository.ts';
import type { Database } from '../../db/schema.ts';

export interface ReplicaDeps {
  /** The inbox consumer's transaction. */
  db: Transaction<Database>;
  clock: Clock;
}

export async function recordAgencyState(
  deps: ReplicaDeps,
  a: EventData<'vn.gov.hopthu.directory.agency.v1'>,
): Promise<void> {
  await upsertAgency(deps.db, {
    agencyId: a.agencyId,
    province: a.province,
    domain: a.domain,
    name: a.name,
    abbreviation: a.abbreviation,
    parentId: a.parentId,
    // an agency is within itself: the scope checks look for the acting agency among the ancestors
    ancestorIds: a.ancestorIds.includes(a.agencyId) ? a.ancestorIds : [a.agencyId, ...a.ancestorIds],
    officialMailbox: a.officialMailbox,
    // absent from states published before the directory said so: a live unit until its next state
    dissolvedAt: a.dissolvedAt ?? null,
    at: deps.clock.now(),
  });
}

export async function recordMailboxState(
  deps: ReplicaDeps,
  m: EventData<'vn.gov.hopthu.directory.mailbox.v1'>,
): Promise<void> {
  await upsertMailbox(deps.db, {
    mailboxId: m.mailboxId,
    address: m.address,
    agencyId: m.agencyId,
    type: m.type,
    state: m.state,
    generation: m.generation,
    displayName: m.displayName,
    // a delete's day starts its retention: restore_deleted is refused from the purge day on
    seenAt: deps.clock.now(),
  });
}
