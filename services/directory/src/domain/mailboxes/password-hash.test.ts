import { describe, expect, it } from 'vitest';
import { randomPasswordHash } from './password-hash.ts';

describe('randomPasswordHash', () => {
  it('when a random password is made, then only a Dovecot SSHA512 hash (64-byte digest, 16-byte salt) comes out, each time a new one', async () => {
    const a = await randomPasswordHash();
    const b = await randomPasswordHash();
    expect(a).toMatch(/^\{SSHA512\}[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(a.slice('{SSHA512}'.length), 'base64')).toHaveLength(80);
    expect(a).not.toBe(b);
  });
});
