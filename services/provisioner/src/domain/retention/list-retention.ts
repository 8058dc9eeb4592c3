// What the retention area holds: each deleted mailbox's mail with the day it was deleted and the
// day it will be removed (the configured period, see retention-dates.ts).
import type { Clock } from '@hopthu/shared/clock';
import type { MailServerAdapter } from '../mail-server-adapter.ts';
import { isDue, purgeDayFor } from './retention-dates.ts';

export interface RetentionDeps {
  adapter: MailServerAdapter;
  clock: Clock;
  /** Full days a deleted mailbox's mail is kept (VMAIL_RETENTION_DAYS). */
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
      purgeOn: purgeDayFor(r.deletedOn, deps.retentionDays),
      due: isDue(r.deletedOn, deps.retentionDays, now),
      location: r.location,
    })),
  };
}
