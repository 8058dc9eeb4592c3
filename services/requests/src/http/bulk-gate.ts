// A first-come, first-served gate on the bulk work of this process: at most `capacity` runs at
// once, the rest wait their turn in arrival order. Forty 500-item requests sent together then do
// not all check and store themselves, holding a pooled connection and their statements' parameters
// at the same time, while interleaving on the one event loop until they all answer together at the
// end: the first answer after one request's work, each later one after its turn. (Their items are
// written after the answer, by domain/requests/items-writer.ts, which keeps its own line.) They
// wait rather than being refused (503 + Retry-After): the client has already sent its body, and
// sending it again would cost the parsing and validation twice.
export interface Gate {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** How many wait for their turn (not counting those running). */
  waiting(): number;
  /** Whether any work runs or waits. */
  busy(): boolean;
}

export function createGate(capacity: number): Gate {
  let running = 0;
  const queue: (() => void)[] = [];
  return {
    async run(work) {
      if (running < capacity) running++;
      else await new Promise<void>((turn) => queue.push(turn));
      try {
        return await work();
      } finally {
        // the place goes to the next in line, or is given back
        const next = queue.shift();
        if (next) next();
        else running--;
      }
    },
    waiting: () => queue.length,
    busy: () => running > 0,
  };
}
