import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataKeys, decrypt, encrypt, keyedHash, keyIdOf, reencrypt, UnknownDataKeyError } from './secrets.ts';

const hex = () => randomBytes(32).toString('hex');
const HASH = hex();

describe('data key ring', () => {
  it('when a value is sealed, then the ciphertext names the current key and every ring holding that key opens it', () => {
    const old = { kid: '20261201-aaaa', material: hex() };
    const next = { kid: '20261203-bbbb', material: hex() };
    fc.assert(
      fc.property(fc.string(), (plain) => {
        const sealedOld = encrypt(dataKeys([old], HASH), plain);
        expect(keyIdOf(sealedOld)).toBe(old.kid);
        // during a rotation the ring holds both: old ciphertexts still open, new ones use the new key
        const both = dataKeys([next, old], HASH);
        expect(decrypt(both, sealedOld)).toBe(plain);
        const moved = reencrypt(both, sealedOld);
        expect(keyIdOf(moved)).toBe(next.kid);
        expect(decrypt(dataKeys([next], HASH), moved)).toBe(plain);
        // already under the current key: left as it is
        expect(reencrypt(both, moved)).toBe(moved);
      }),
      { numRuns: 50 },
    );
  });

  it('when the key a ciphertext names is not in the ring, then it is refused naming only the key id', () => {
    const sealed = encrypt(dataKeys([{ kid: 'gone', material: hex() }], HASH), '027090001234');
    expect(() => decrypt(dataKeys([{ kid: 'other', material: hex() }], HASH), sealed)).toThrow(
      UnknownDataKeyError,
    );
    expect(() => decrypt(dataKeys([{ kid: 'other', material: hex() }], HASH), sealed)).toThrow(/"gone"/);
  });

  it('when a ciphertext has no key id (written before key ids), then the key named legacy opens it', () => {
    const material = hex();
    const sealed = encrypt(dataKeys([{ kid: 'x', material }], HASH), 'Mật khẩu 1!')
      .split('.')
      .slice(1)
      .join('.');
    expect(keyIdOf(sealed)).toBe('legacy');
    expect(
      decrypt(
        dataKeys(
          [
            { kid: 'new', material: hex() },
            { kid: 'legacy', material },
          ],
          HASH,
        ),
        sealed,
      ),
    ).toBe('Mật khẩu 1!');
  });

  it('when the data key rotates, then the keyed hash of a national ID stays the same', () => {
    const a = dataKeys([{ kid: 'a', material: hex() }], HASH);
    const b = dataKeys([{ kid: 'b', material: hex() }], HASH);
    expect(keyedHash(a, '027090001234')).toBe(keyedHash(b, '027090001234'));
    expect(keyedHash(a, '027090001234')).not.toBe(keyedHash(a, '027090001235'));
  });
});
