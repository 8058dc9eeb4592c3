import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generatePassword, hashGeneratedPassword } from './secrets.ts';

describe('hashGeneratedPassword', () => {
  it('when a generated password is hashed, then Dovecot gets {SSHA512} of it with a fresh 16-byte salt, never the password', () => {
    const password = generatePassword();
    const a = hashGeneratedPassword(password);
    const b = hashGeneratedPassword(password);
    expect(a).not.toBe(b);
    for (const hash of [a, b]) {
      expect(hash).toMatch(/^\{SSHA512\}[A-Za-z0-9+/]+={0,2}$/);
      expect(hash).not.toContain(password);
      const raw = Buffer.from(hash.slice('{SSHA512}'.length), 'base64');
      expect(raw).toHaveLength(80);
      const salt = raw.subarray(64);
      const expected = createHash('sha512').update(password).update(salt).digest();
      expect(raw.subarray(0, 64).equals(expected)).toBe(true);
    }
  });
});
