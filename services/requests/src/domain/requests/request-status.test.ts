import { describe, expect, it } from 'vitest';
import { deriveRequestStatus } from './request-status.ts';
import { dataKeys, decrypt, encrypt, generatePassword } from '../secrets.ts';

describe('deriveRequestStatus', () => {
  it('when every item waits for an operator, then the request waits too', () => {
    expect(deriveRequestStatus(['pending_approval', 'pending_approval'])).toBe('pending_approval');
  });
  it('when some items are still open, then the request is in progress', () => {
    expect(deriveRequestStatus(['completed', 'approved'])).toBe('in_progress');
    expect(deriveRequestStatus(['pending_approval', 'completed'])).toBe('in_progress');
  });
  it('when all items end, then completed, rejected, partially completed or failed', () => {
    expect(deriveRequestStatus(['completed', 'completed'])).toBe('completed');
    expect(deriveRequestStatus(['rejected'])).toBe('rejected');
    expect(deriveRequestStatus(['completed', 'failed'])).toBe('partially_completed');
    expect(deriveRequestStatus(['failed', 'rejected'])).toBe('failed');
  });
});

describe('secrets', () => {
  it('when a password is generated, then it meets Bắc Ninh 5.2', () => {
    for (let i = 0; i < 200; i++) {
      const p = generatePassword();
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[!@#%$*&]/);
      expect(p.length).toBeGreaterThanOrEqual(8);
    }
  });
  it('when sealed, then only the same key opens it', () => {
    const key = dataKeys([{ kid: 'k1', material: 'ab'.repeat(32) }], 'ef'.repeat(32));
    const sealed = encrypt(key, 'Mật khẩu 1!');
    expect(sealed).not.toContain('Mật');
    expect(decrypt(key, sealed)).toBe('Mật khẩu 1!');
    expect(() =>
      decrypt(dataKeys([{ kid: 'k1', material: 'cd'.repeat(32) }], 'ef'.repeat(32)), sealed),
    ).toThrow();
  });
});
