// Who writes the items of a bulk request stored without them (expand-request.ts): this process,
// in the background, woken right after the storing transaction commits, a few requests at a time
// in arrival order; a sweep every second for any left pending 2 s or more (a crash between the
// answer and the writing, another instance's); and any reader that needs the items, whose request goes to the
// front of the line and which waits for it. The background writer gives way to bulk submissions
// waiting for their answer (`busy`), up to `maxDeferMs`: their answers come first.
import { isExpansionPending, listPendingExpansions } from '../../db/request-repository.ts';
import { type ExpandDeps, expandRequest } from './expand-request.ts';

export interface ItemsWriter {
  /** The request was stored without its items (committed): write them soon, in the background. */
  wake(requestId: string): void;
  /** Resolves once the request's items are written, writing them first if still pending. */
  ensureWritten(requestId: string): Promise<void>;
  /** Starts the sweep. */
  start(): void;
  /** Stops the sweep and waits for the writing under way; the rest is left to the next start. */
  stop(): Promise<void>;
}

interface Job {
  requestId: string;
  /** A reader waits for it: it goes first, and waits for another writer of the request. */
  urgent: boolean;
  queuedAt: number;
  /** Settles with the error when the writing failed. */
  done: Promise<unknown>;
  settle(error?: unknown): void;
}

export function createItemsWriter(opts: {
  deps: ExpandDeps;
  logger: { error(fields: Record<string, unknown>, message: string): void };
  /** How many requests' items are written at once (each holds its rows in memory and a connection). */
  atOnce: number;
  sweepMs?: number;
  /** The sweep takes a request left pending this long (default 2 s). */
  sweepAfterMs?: number;
  /** While true, background writing waits (up to `maxDeferMs` a request): bulk submissions come first. */
  busy?: () => boolean;
  maxDeferMs?: number;
}): ItemsWriter {
  const { deps, logger } = opts;
  const sweepMs = opts.sweepMs ?? 1000;
  const sweepAfterMs = opts.sweepAfterMs ?? 2000;
  const maxDeferMs = opts.maxDeferMs ?? 5000;
  /** Requests queued or being written in this process. */
  const jobs = new Map<string, Job>();
  /** Not started yet: the urgent ones first, each kind in arrival order. */
  const line: Job[] = [];
  let running = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;

  function enqueue(requestId: string, urgent: boolean): Job {
    const known = jobs.get(requestId);
    if (known) {
      const at = line.indexOf(known);
      if (urgent && !known.urgent && at >= 0) {
        known.urgent = true;
        line.splice(at, 1);
        placeInLine(known);
        pump();
      }
      return known;
    }
    let settle!: (error?: unknown) => void;
    const done = new Promise<unknown>((resolve) => {
      settle = resolve;
    });
    const job: Job = { requestId, urgent, queuedAt: performance.now(), done, settle };
    jobs.set(requestId, job);
    placeInLine(job);
    pump();
    return job;
  }

  function placeInLine(job: Job) {
    if (!job.urgent) line.push(job);
    else {
      const firstBackground = line.findIndex((j) => !j.urgent);
      line.splice(firstBackground < 0 ? line.length : firstBackground, 0, job);
    }
  }

  function pump() {
    while (running < opts.atOnce && line.length > 0 && !stopped) {
      const next = line[0]!;
      if (!next.urgent && opts.busy?.() && performance.now() - next.queuedAt < maxDeferMs) {
        retry ??= setTimeout(() => {
          retry = undefined;
          pump();
        }, 10);
        return;
      }
      line.shift();
      running++;
      void write(next).finally(() => {
        running--;
        jobs.delete(next.requestId);
        pump();
      });
    }
  }

  async function write(job: Job) {
    // after the answer that woke it has gone out (it is sent in this turn of the event loop)
    await new Promise((resolve) => setImmediate(resolve));
    try {
      // in the background, a request another transaction is writing is left to that one
      await expandRequest(deps, job.requestId, { wait: job.urgent, yieldEvery: 100 });
      job.settle();
    } catch (err) {
      logger.error(
        { err, requestId: job.requestId },
        "a bulk request's items were not written; the sweep tries again within a few seconds",
      );
      job.settle(err ?? new Error('items not written'));
    }
  }

  async function sweep() {
    try {
      // left a while (the instance that stored a request wakes its own writer at once)
      for (const id of await listPendingExpansions(deps.db, 50, sweepAfterMs))
        if (!jobs.has(id)) enqueue(id, false);
    } catch (err) {
      logger.error(
        { err },
        'the sweep of bulk requests still to write failed; it runs again within a second',
      );
    }
  }

  return {
    wake(requestId) {
      if (!stopped) enqueue(requestId, false);
    },
    async ensureWritten(requestId) {
      if (!(await isExpansionPending(deps.db, requestId))) return;
      const error = stopped ? undefined : await enqueue(requestId, true).done;
      if (error) throw error;
      // begun in the background before this reader came, and left to another instance's writer:
      // wait for that one
      if (await isExpansionPending(deps.db, requestId)) await expandRequest(deps, requestId, { wait: true });
    },
    start() {
      stopped = false;
      timer = setInterval(() => {
        sweeping ??= sweep().finally(() => {
          sweeping = undefined;
        });
      }, sweepMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (retry) clearTimeout(retry);
      await sweeping;
      // the ones not started stay pending, for the sweep of the next start
      for (const job of line.splice(0)) {
        jobs.delete(job.requestId);
        job.settle();
      }
      await Promise.all([...jobs.values()].map((j) => j.done));
    },
  };
}
