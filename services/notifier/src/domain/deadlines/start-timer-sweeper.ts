// Runs fireDueTimers every interval until stopped. Polling is enough: timers are minutes to days
// apart, and a missed tick is caught up by the next one.
import { backoffDelay } from '@hopthu/shared';
import { type SweepDeps, fireDueTimers } from './fire-due-timers.ts';

export function startTimerSweeper(deps: SweepDeps, options: { intervalMs: number }): () => Promise<void> {
  const logger = deps.logger.child({ component: 'timer-sweeper' });
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      let wait = options.intervalMs;
      try {
        const n = await fireDueTimers({ ...deps, logger });
        failures = 0;
        if (n > 0) wait = 0; // more may be due
      } catch (err) {
        failures++;
        wait = backoffDelay(failures);
        logger.warn({ err, failures }, 'timer sweep failed; will retry');
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
