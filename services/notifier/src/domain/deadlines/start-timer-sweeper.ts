// Runs fireDueTimers every interval until stopped. Polling is enough: timers are minutes to days
// apart, and a missed tick is caught up by the next one.
import { startPollingLoop } from '@hopthu/shared/polling';
import { type SweepDeps, fireDueTimers } from './fire-due-timers.ts';

export function startTimerSweeper(deps: SweepDeps, options: { intervalMs: number }): () => Promise<void> {
  const logger = deps.logger.child({ component: 'timer-sweeper' });
  return startPollingLoop({
    logger,
    intervalMs: options.intervalMs,
    what: 'timer sweep',
    runOnce: () => fireDueTimers({ ...deps, logger }),
  });
}
