// Runs deliverDue until stopped: polls, and runs again at once while there is work.
import { backoffDelay } from '@hopthu/shared';
import { type DeliverDeps, deliverDue } from './deliver-due.ts';

export function startDeliveryWorker(deps: DeliverDeps, options: { pollMs: number }): () => Promise<void> {
  const logger = deps.logger.child({ component: 'delivery-worker' });
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      let wait = options.pollMs;
      try {
        const n = await deliverDue({ ...deps, logger });
        failures = 0;
        if (n > 0) wait = 0;
      } catch (err) {
        failures++;
        wait = backoffDelay(failures);
        logger.warn({ err, failures }, 'delivery pass failed; will retry');
      }
      if (wait > 0 && !stopped) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, wait);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        wake = null;
      }
    }
  })();
  return async () => {
    stopped = true;
    wake?.();
    await loop;
  };
}
