import { describe, expect, it } from 'vitest';
import { randomPasswordHash } from './password-hash.ts';

describe('randomPasswordHash', () => {
  it('when a random password is made, then only a Dovecot BLF-CRYPT hash comes out, each time a new one', async () => {
    const a = await randomPasswordHash();
    const b = await randomPasswordHash();
    expect(a).toMatch(/^\{BLF-CRYPT\}\$2[aby]\$05\$/);
    expect(a).not.toBe(b);
  });
});
