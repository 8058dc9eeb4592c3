import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';

describe('operator passwords (scrypt)', () => {
  it('when a password is hashed, then the same password verifies and another does not', async () => {
    const stored = await hashPassword('Mật khẩu đúng 2026');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('Mật khẩu đúng 2026', stored)).toBe(true);
    expect(await verifyPassword('Mật khẩu sai 2026', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('when the same password is hashed twice, then the salts differ', async () => {
    expect(await hashPassword('abcdefgh12345')).not.toBe(await hashPassword('abcdefgh12345'));
  });

  it('when a password is typed in another Unicode form (NFD), then it still verifies', async () => {
    const stored = await hashPassword('Nguyễn 123456789');
    expect(await verifyPassword('Nguyễn 123456789'.normalize('NFD'), stored)).toBe(true);
  });

  it('when the stored hash is malformed or of another kind, then nothing verifies', async () => {
    for (const bad of [
      '',
      'scrypt$1$2',
      '{BLF-CRYPT}$2b$05$x',
      'scrypt$x$8$1$AAAA$BBBB',
      'scrypt$16384$8$1$AAAA$short',
    ]) {
      expect(await verifyPassword('whatever', bad)).toBe(false);
    }
  });

  it('when a password is short or lacks letters or digits, then the rule names the problem', () => {
    expect(passwordProblem('ngan1')).toContain('12');
    expect(passwordProblem('chuaconsonaocả')).toContain('chữ và số');
    expect(passwordProblem('123456789012')).toContain('chữ và số');
    expect(passwordProblem('đủ dài và có số 1')).toBeUndefined();
  });
});
