// Backoff with full jitter, shared by the inbox consumer, the outbox relay and delivery workers.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 200, maxMs: 10_000 };

/** Delay before attempt `attempt` (1 = first retry): random in [0, min(max, base·2^(attempt-1))]. */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy = defaultBackoff,
  random: () => number = Math.random,
): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
