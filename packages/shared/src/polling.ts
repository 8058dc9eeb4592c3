// A background loop that runs a unit of work until stopped: again at once while it finds work,
// after `intervalMs` when idle, with jittered backoff after failures. Timer sweepers and delivery
// workers use it; stopping wakes it and waits for the pass in flight.
//
// A loop started with `wakeOn: name` is also woken by `wakePollingLoops(name)` from the same
// process (e.g. right after a delivery row is written): it looks at once and, since the writing
// transaction may not have committed yet, again after 5, 10, 20 … ms until `intervalMs` has passed
// since the signal; a signal during a pass makes it look again before it sleeps.
import type { Logger } from './logger.ts';
import { backoffDelay } from './retry.ts';

const loopsByName = new Map<string, Set<() => void>>();

/** Wakes this process's loops started with `wakeOn: name`. */
export function wakePollingLoops(name: string): void {
  for (const wake of loopsByName.get(name) ?? []) wake();
}

export function startPollingLoop(options: {
  logger: Logger;
  intervalMs: number;
  /** A name `wakePollingLoops` wakes this loop by. */
  wakeOn?: string;
  /** One pass; returns how many things it did (> 0 means "look again at once"). */
  runOnce: () => Promise<number>;
  /** Words for the log line when a pass fails, e.g. 'timer sweep'. */
  what: string;
}): () => Promise<void> {
  let stopped = false;
  let wake: (() => void) | null = null;
  let signalled = false;
  let lastSignal = Number.NEGATIVE_INFINITY;
  const onSignal = () => {
    signalled = true;
    lastSignal = Date.now();
    wake?.();
  };
  if (options.wakeOn) {
    const set = loopsByName.get(options.wakeOn) ?? new Set();
    set.add(onSignal);
    loopsByName.set(options.wakeOn, set);
  }
  const loop = (async () => {
    let failures = 0;
    let eager = 0;
    while (!stopped) {
      let wait = options.intervalMs;
      signalled = false;
      try {
        const n = await options.runOnce();
        failures = 0;
        if (n > 0 || signalled) {
          wait = 0;
          if (n > 0) eager = 0;
        } else if (Date.now() - lastSignal < options.intervalMs) {
          wait = Math.min(5 * 2 ** eager++, options.intervalMs);
        } else eager = 0;
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
    if (options.wakeOn) loopsByName.get(options.wakeOn)?.delete(onSignal);
    wake?.();
    await loop;
  };
}
