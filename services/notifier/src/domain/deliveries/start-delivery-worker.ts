// Runs deliverDue until stopped: polls, and runs again at once while there is work.
import { startPollingLoop } from '@hopthu/shared/polling';
import { type DeliverDeps, deliverDue } from './deliver-due.ts';

export function startDeliveryWorker(deps: DeliverDeps, options: { pollMs: number }): () => Promise<void> {
  const logger = deps.logger.child({ component: 'delivery-worker' });
  return startPollingLoop({
    logger,
    intervalMs: options.pollMs,
    what: 'delivery pass',
    runOnce: () => deliverDue({ ...deps, logger }),
  });
}
