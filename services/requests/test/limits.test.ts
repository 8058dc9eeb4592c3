// Limits: per-client rate limit on the agency API (another client is not slowed down), the body
// size limit, and answers that never show stack traces or internals.
import { describe, expect, it } from 'vitest';
import { accessToken, call, demo, replicaAgencyClient, useRequests } from './security-helpers.ts';

useRequests();

describe('rate limit per client', () => {
  it('when one client exceeds its limit, then it gets 429 problems with Retry-After and another client does not', async () => {
    const { token } = await replicaAgencyClient();
    const first = await call('GET', '/v1/requests', { token });
    expect(first.status).toBe(200);
    const limit = Number(first.headers.get('x-ratelimit-limit'));
    expect(limit).toBeGreaterThan(0);
    expect(limit).toBeLessThanOrEqual(5000);

    let limited: Awaited<ReturnType<typeof call>> | undefined;
    for (let sent = 1; sent <= limit && !limited; sent += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () => call('GET', '/v1/requests', { token })),
      );
      limited = batch.find((r) => r.status === 429);
    }
    limited ??= await call('GET', '/v1/requests', { token });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(limited.headers.get('retry-after')).toBeTruthy();
    expect(limited.body).toMatchObject({ code: 'rate_limited', status: 429 });

    const other = await call('GET', '/v1/requests', { token: await accessToken(demo('snv')) });
    expect(other.status).toBe(200);
  });
});

describe('answers show no internals', () => {
  it('when routes fail in various ways, then no answer carries a stack trace, file path or SQL', async () => {
    const token = await accessToken(demo('stttt'));
    const answers = await Promise.all([
      call('GET', '/v1/requests/not-a-uuid', { token }),
      call('GET', '/v1/requests?status=weird', { token }),
      call('POST', '/v1/requests', { token, rawBody: '[[[[', headers: { 'idempotency-key': 'k' } }),
      call('POST', '/v1/requests', {
        token,
        body: { agencyId: "x' OR 1=1 --" },
        headers: { 'idempotency-key': 'k' },
      }),
      call('GET', '/nowhere'),
      call('POST', '/oauth/token', {
        rawBody: 'grant_type=client_credentials&client_assertion=a.b.c',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    ]);
    for (const a of answers) {
      expect(a.status).toBeGreaterThanOrEqual(400);
      expect(a.status).toBeLessThan(500);
      // the token endpoint answers RFC 6749 §5.2 JSON (error, error_description) with the problem fields
      expect(a.headers.get('content-type')).toMatch(/^application\/(problem\+)?json/);
      expect(a.body.code).toBeTruthy();
      const text = JSON.stringify(a.body);
      expect(text).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+|"stack"|SELECT |postgres|kysely/i);
    }
  });
});
