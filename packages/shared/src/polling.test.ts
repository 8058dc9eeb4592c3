import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { startPollingLoop, wakePollingLoops } from './polling.ts';

const logger = createLogger('polling-test', { level: 'silent' });

async function until(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 1));
  }
}

describe('startPollingLoop', () => {
  it('when woken by name before the work is visible, then it finds the work within milliseconds instead of at the next poll', async () => {
    let pending = 0;
    let found = 0;
    let passes = 0;
    const stop = startPollingLoop({
      logger,
      intervalMs: 60_000,
      wakeOn: 'polling-test-work',
      what: 'test pass',
      runOnce: async () => {
        passes++;
        const n = pending;
        found += n;
        pending = 0;
        return n;
      },
    });
    try {
      await until(() => passes === 1); // idle now, next poll in a minute
      wakePollingLoops('polling-test-work'); // signalled inside the writer's transaction…
      await new Promise((r) => setTimeout(r, 3));
      pending = 1; // …which commits a moment later
      await until(() => found === 1);
      wakePollingLoops('another-name');
      expect(found).toBe(1);
    } finally {
      await stop();
    }
  });

  it('when stopped, then a later wake-up by its name runs nothing', async () => {
    let passes = 0;
    const stop = startPollingLoop({
      logger,
      intervalMs: 60_000,
      wakeOn: 'polling-test-stopped',
      what: 'test pass',
      runOnce: async () => {
        passes++;
        return 0;
      },
    });
    await until(() => passes === 1);
    await stop();
    wakePollingLoops('polling-test-stopped');
    await new Promise((r) => setTimeout(r, 20));
    expect(passes).toBe(1);
  });
});
