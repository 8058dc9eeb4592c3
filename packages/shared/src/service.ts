// Running a service process: start everything, and on SIGTERM/SIGINT stop it in reverse order
// (HTTP first, then consumers and relays, then connections), so nothing in flight is lost.
import closeWithGrace from 'close-with-grace';
import type { Logger } from './logger.ts';

export type Shutdown = () => Promise<void>;

export async function runService(logger: Logger, start: () => Promise<Shutdown>): Promise<void> {
  let shutdown: Shutdown | null = null;
  closeWithGrace({ delay: 15_000 }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'fatal error; shutting down');
    else logger.info({ signal }, 'shutting down');
    await shutdown?.();
  });
  try {
    shutdown = await start();
  } catch (err) {
    logger.fatal({ err }, 'failed to start');
    process.exit(1);
  }
}

/** Runs shutdown steps in order, logging (not throwing) each failure so later steps still run. */
export function composeShutdown(logger: Logger, steps: [string, Shutdown][]): Shutdown {
  return async () => {
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (err) {
        logger.warn({ err, step: name }, 'shutdown step failed');
      }
    }
  };
}
