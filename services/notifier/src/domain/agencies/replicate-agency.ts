// Keeps the notifier's copy of each agency (name, official mailbox) from hopthu.directory.v1.
import type { Clock } from '@hopthu/shared/clock';
import type { AgencyState } from '@hopthu/shared/events';
import type { Kysely } from 'kysely';
import { upsertAgency } from '../../db/agency-repository.ts';
import type { NotifierDb } from '../../db/schema.ts';

/** `deps.db`: the caller's transaction (the inbox's). */
export async function replicateAgency(deps: { db: Kysely<NotifierDb>; clock: Clock }, state: AgencyState) {
  await upsertAgency(
    deps.db,
    {
      agencyId: state.agencyId,
      province: state.province,
      domain: state.domain,
      name: state.name.normalize('NFC'),
      abbreviation: state.abbreviation,
      officialMailbox: state.officialMailbox,
    },
    deps.clock.now(),
  );
}
