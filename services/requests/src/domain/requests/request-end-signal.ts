// Wakes the long-polls of a request (GET /v1/requests/{id}?wait=N) as soon as the transaction that
// finished it has committed, instead of at their next status read (every 500 ms). settleRequest
// marks the request as ending inside its transaction; the outbox's post-commit signal of this
// process (request.finished is an outbox row of that same transaction) then wakes the waiters of
// the marked requests, which read the status again. A mark left by a transaction rolled back only
// makes its waiters read once more; a request finished by another instance is still seen at the
// next periodic read.
import { onOutboxCommitted } from '@hopthu/shared/outbox';

const waiters = new Map<string, Set<() => void>>();
const ending = new Set<string>();
let unsubscribe: (() => void) | null = null;

function wakeEnding(): void {
  for (const requestId of ending) for (const wake of waiters.get(requestId) ?? []) wake();
  ending.clear();
}

/** In the transaction that finishes the request: its waiters are woken once that commits. */
export function markRequestEnding(requestId: string): void {
  if (waiters.has(requestId)) ending.add(requestId);
}

/** A waiter of the request: `wake` is called after a commit that may have finished it. */
export function watchRequestEnd(requestId: string, wake: () => void): () => void {
  const set = waiters.get(requestId) ?? new Set<() => void>();
  waiters.set(requestId, set);
  set.add(wake);
  unsubscribe ??= onOutboxCommitted(wakeEnding);
  return () => {
    set.delete(wake);
    if (set.size === 0 && waiters.get(requestId) === set) waiters.delete(requestId);
    if (waiters.size === 0 && unsubscribe) {
      unsubscribe();
      unsubscribe = null;
      ending.clear();
    }
  };
}
