// The brake on guessing a mailbox password through the self-service page and API (pure): after
// `maxPerAddress` wrong current passwords for one address, or `maxPerClient` from one client
// address, within `windowSeconds`, further attempts are refused (429) until the oldest failure in
// the window ages out; `Retry-After` says when. Correct passwords are never slowed while under the
// limits.
export interface BrakeLimits {
  maxPerAddress: number;
  maxPerClient: number;
  windowSeconds: number;
}

export interface FailureCount {
  count: number;
  oldest: Date | null;
}

/** Seconds until an attempt is allowed again, or 0 when it is allowed now. */
export function brakeRetryAfter(
  limits: BrakeLimits,
  failures: { address: FailureCount; client: FailureCount },
  now: Date,
): number {
  const waits = [
    waitFor(failures.address, limits.maxPerAddress, limits.windowSeconds, now),
    waitFor(failures.client, limits.maxPerClient, limits.windowSeconds, now),
  ];
  return Math.max(...waits);
}

function waitFor(f: FailureCount, max: number, windowSeconds: number, now: Date): number {
  if (f.count < max || f.oldest === null) return 0;
  const freeAt = f.oldest.getTime() + windowSeconds * 1000;
  return Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
}
