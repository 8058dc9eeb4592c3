// A background loop that runs a unit of work until stopped: again at once while it finds work,
// after `intervalMs` when idle, with jittered backoff after failures. Timer sweepers and delivery
// workers use it; stopping wakes it and waits for the pass in flight.
import type { Logger } from './logger.ts';
import { backoffDelay } from './retry.ts';

export function startPollingLoop(options: {
  logger: Logger;
  intervalMs: number;
  /** One pass; returns how many things it did (> 0 means "look again at once"). */
  runOnce: () => Promise<number>;
  /** Words for the log line when a pass fails, e.g. 'timer sweep'. */
  what: string;
}): () => Promise<void> {
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      let wait = options.intervalMs;
      try {
        const n = await options.runOnce();
        failures = 0;
        if (n > 0) wait = 0;
      } catch (err) {
        failures++;
        wait = backoffDelay(failures);
        options.logger.warn({ err, failures }, `${options.what} failed; will retry`);
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
