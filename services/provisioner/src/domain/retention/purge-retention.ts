// Removes for good the mail of mailboxes whose retention period has ended: what is older than the
// period of the address's province (retention.deletedMailDays of its policy file; the general
// VMAIL_RETENTION_DAYS for a domain of no province), by its date. Run by the periodic purge
// (main.ts) and the admin route.
import { listPolicies } from '@hopthu/naming';
import type { Logger } from '@hopthu/shared/logger';
import type { RetainedMailbox } from '../mail-server-adapter.ts';
import type { RetentionDeps } from './list-retention.ts';
import { purgeCutoff } from './retention-dates.ts';

export async function purgeRetention(
  deps: RetentionDeps & { logger: Logger },
): Promise<{ deletedBefore: string; purged: RetainedMailbox[] }> {
  const now = deps.clock.now();
  const deletedBefore = purgeCutoff(now, deps.retentionDays);
  const deletedBeforeByDomain: Record<string, string> = {};
  for (const policy of listPolicies()) {
    for (const domain of [policy.domain, ...policy.aliasDomains])
      deletedBeforeByDomain[domain] = purgeCutoff(now, policy.retention.deletedMailDays);
  }
  const purged = await deps.adapter.purgeRetained({ deletedBefore, deletedBeforeByDomain });
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
