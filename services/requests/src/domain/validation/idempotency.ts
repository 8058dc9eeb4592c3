// Idempotency-Key support: a canonical form of the body (key order does not make it "another
// body"), and the race of two simultaneous submits with one key, which the UNIQUE (client_id,
// idempotency_key) constraint settles: the loser runs again and finds the winner's answer.

/** JSON with object keys sorted, so {"a":1,"b":2} and {"b":2,"a":1} hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

const isIdempotencyRace = (err: unknown) => {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && (e.constraint ?? '').includes('idempotency');
};

export async function retryOnIdempotencyRace<T>(submit: () => Promise<T>): Promise<T> {
  try {
    return await submit();
  } catch (err) {
    if (!isIdempotencyRace(err)) throw err;
    return submit();
  }
}
