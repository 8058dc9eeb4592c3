// What the retention area holds: each deleted mailbox's mail with the day it was deleted and the
// day it will be removed (its province's period, see deletedMailDaysFor of @hopthu/naming and retention-dates.ts).
import { deletedMailDaysFor } from '@hopthu/naming';
import type { Clock } from '@hopthu/shared/clock';
import type { MailServerAdapter } from '../mail-server-adapter.ts';
import { isDue, purgeDayFor } from './retention-dates.ts';

export interface RetentionDeps {
  adapter: MailServerAdapter;
  clock: Clock;
  /** Full days a deleted mailbox's mail is kept when its domain is no province's (VMAIL_RETENTION_DAYS). */
  retentionDays: number;
}

export interface RetentionEntry {
  address: string;
  generation: number;
  deletedOn: string;
  purgeOn: string;
  /** Already past its period: the next purge removes it. */
  due: boolean;
  location: string;
}

export async function listRetention(deps: RetentionDeps): Promise<{
  retentionDays: number;
  entries: RetentionEntry[];
}> {
  const now = deps.clock.now();
  const held = await deps.adapter.listRetained();
  return {
    retentionDays: deps.retentionDays,
    entries: held.map((r) => ({
      address: r.address,
      generation: r.generation,
      deletedOn: r.deletedOn,
      purgeOn: purgeDayFor(r.deletedOn, deletedMailDaysFor(r.address, deps.retentionDays)),
      due: isDue(r.deletedOn, deletedMailDaysFor(r.address, deps.retentionDays), now),
      location: r.location,
    })),
  };
}
