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
  it('when many passwords are generated, then each character of the alphabet is about equally likely after the four required ones, and none repeats', () => {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789!@#%$*&';
    const counts = new Map<string, number>();
    const seen = new Set<string>();
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const p = generatePassword();
      seen.add(p);
      for (const c of p) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(seen.size).toBe(n);
    expect([...counts.keys()].sort()).toEqual([...alphabet].sort());
    // 10 free characters of 63 per password (+ one of each required set): every character of the
    // big sets lands near 10n/63 + n/24 (about 4,000), give or take its standard deviation (about
    // 63, counts being near Poisson). Six deviations (9.5 %) is a bound a fair draw crosses about
    // once in ten million runs, where 6 % (3.8 deviations) was crossed about once in 150 (the CI
    // did); a biased draw (a byte modulo 63 without rejection makes four characters 25 % likelier)
    // misses it by far more
    for (const c of 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz') {
      const expected = (10 * n) / 63 + n / 24;
      const deviations = Math.abs(counts.get(c)! - expected) / Math.sqrt(expected);
      expect(deviations, `'${c}': ${counts.get(c)} against ${Math.round(expected)}`).toBeLessThan(6);
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
