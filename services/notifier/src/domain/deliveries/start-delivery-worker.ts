// Runs deliverDue until stopped: polls, runs again at once while there is work, and is woken as
// soon as a delivery is written in this process (insertDelivery), not at the next poll.
import { startPollingLoop } from '@hopthu/shared/polling';
import { DELIVERIES_WRITTEN } from '../../db/delivery-repository.ts';
import { type DeliverDeps, deliverDue } from './deliver-due.ts';

export function startDeliveryWorker(deps: DeliverDeps, options: { pollMs: number }): () => Promise<void> {
  const logger = deps.logger.child({ component: 'delivery-worker' });
  return startPollingLoop({
    logger,
    intervalMs: options.pollMs,
    what: 'delivery pass',
    wakeOn: DELIVERIES_WRITTEN,
    runOnce: () => deliverDue({ ...deps, logger }),
  });
}
