import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { clientIpOf, renderPage } from './self-service-routes.ts';

const request = (peer: string, forwarded?: string) =>
  ({
    socket: { remoteAddress: peer },
    ip: peer,
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  }) as unknown as FastifyRequest;

describe('the client address the self-service brake counts', () => {
  const deps = { trustedProxies: ['127.0.0.1'] };

  it('when the peer is not a trusted proxy, then its X-Forwarded-For is ignored', () => {
    expect(clientIpOf(request('203.0.113.7', '198.51.100.1'), deps)).toBe('203.0.113.7');
  });

  it('when a trusted proxy forwards, then the nearest untrusted hop counts, not what the client claims first', () => {
    expect(clientIpOf(request('127.0.0.1', '198.51.100.9'), deps)).toBe('198.51.100.9');
    expect(clientIpOf(request('::ffff:127.0.0.1', '10.9.9.9, 198.51.100.9, 127.0.0.1'), deps)).toBe(
      '198.51.100.9',
    );
  });

  it('when the forwarded value is garbage or absent, then the peer counts', () => {
    expect(clientIpOf(request('127.0.0.1', '<script>'), deps)).toBe('127.0.0.1');
    expect(clientIpOf(request('127.0.0.1'), deps)).toBe('127.0.0.1');
    expect(clientIpOf(request('127.0.0.1', '198.51.100.9'), { trustedProxies: [] })).toBe('127.0.0.1');
  });
});

describe('the self-service page', () => {
  it('is Vietnamese, fits a phone and carries the CSRF token in its form', () => {
    const html = renderPage({ address: '' }, 'tok123');
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<input type="hidden" name="_csrf" value="tok123">');
    expect(html).toContain('autocomplete="current-password"');
    expect(html).not.toMatch(/<script/i);
  });

  it('escapes what it echoes: the address and the rule texts', () => {
    const html = renderPage(
      { address: '"><script>alert(1)</script>', error: 'Lỗi <b>', rules: ['<img src=x onerror=1>'] },
      't',
    );
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
    expect(html).toContain('&lt;img src=x onerror=1&gt;');
    expect(html).toContain('Lỗi &lt;b&gt;');
  });
});
