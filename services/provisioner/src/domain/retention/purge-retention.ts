// Removes for good the mail of mailboxes whose retention period has ended: every day folder older
// than the period, by its date. Run by the periodic purge (main.ts) and the admin route.
import type { Logger } from '@hopthu/shared/logger';
import type { RetainedMailbox } from '../mail-server-adapter.ts';
import type { RetentionDeps } from './list-retention.ts';
import { purgeCutoff } from './retention-dates.ts';

export async function purgeRetention(
  deps: RetentionDeps & { logger: Logger },
): Promise<{ deletedBefore: string; purged: RetainedMailbox[] }> {
  const deletedBefore = purgeCutoff(deps.clock.now(), deps.retentionDays);
  const purged = await deps.adapter.purgeRetained({ deletedBefore });
  for (const r of purged) {
    deps.logger.info(
      { address: r.address, generation: r.generation, deletedOn: r.deletedOn, location: r.location },
      'retained mail removed: retention period ended',
    );
  }
  if (purged.length > 0) {
    deps.logger.info(
      { purged: purged.length, deletedBefore, retentionDays: deps.retentionDays },
      'retention purge done',
    );
  }
  return { deletedBefore, purged };
}
