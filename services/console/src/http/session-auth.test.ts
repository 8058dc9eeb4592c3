import { describe, expect, it } from 'vitest';
import { cookie, parseCookies, safeNext } from './session-auth.ts';

describe('cookies', () => {
  it('when the session cookie is set, then it is httpOnly, SameSite=Strict, and Secure only behind HTTPS', () => {
    const plain = cookie('s', 'abc', { secure: false, maxAgeSeconds: 60 });
    expect(plain).toBe('s=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60');
    expect(cookie('s', 'abc', { secure: true })).toContain('; Secure');
  });

  it('when a Cookie header is parsed, then the first value of each name wins and malformed ones are skipped', () => {
    expect(parseCookies('a=1; b=x%20y; a=2; c=%E0%A4%A; d')).toEqual({ a: '1', b: 'x y' });
    expect(parseCookies(undefined)).toEqual({});
  });
});

describe('return path after login', () => {
  it('when next is a local path, then it is kept; another site or the login page is not', () => {
    expect(safeNext('/dead-letters?show=all')).toBe('/dead-letters?show=all');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil', '/login', undefined, 42]) {
      expect(safeNext(bad)).toBe('/dashboard'); // the home page (Tổng quan)
    }
  });
});
