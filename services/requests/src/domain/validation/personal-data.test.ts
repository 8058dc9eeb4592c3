import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataKeys, keyedHash } from '../secrets.ts';
import { canonicalJson } from './idempotency.ts';
import { maskedPerson, sealPerson } from './personal-data.ts';

const KEY = dataKeys([{ kid: 'k1', material: '00'.repeat(32) }], '11'.repeat(32));

describe('sealPerson / maskedPerson', () => {
  it('when a person has identity data, then it is sealed, hashed for look-up and shown masked', () => {
    const sealed = sealPerson(KEY, {
      familyName: 'Trần',
      middleName: 'Văn',
      givenName: 'Anh',
      nationalId: '027090001234',
      legacyNationalId: '123456789',
      dateOfBirth: '1990-05-17',
      gender: 'male',
    });
    const stored = JSON.stringify(sealed);
    for (const secret of ['027090001234', '123456789', '1990-05-17']) expect(stored).not.toContain(secret);
    expect(sealed.national_id_hash).toBe(keyedHash(KEY, '027090001234'));
    expect(maskedPerson(KEY, sealed)).toEqual({
      familyName: 'Trần',
      middleName: 'Văn',
      givenName: 'Anh',
      gender: 'male',
      nationalId: '027*******34',
      legacyNationalId: '123****89',
      dateOfBirth: '1990-**-**',
    });
  });

  it('when there is no person, then nothing is stored or shown', () => {
    const sealed = sealPerson(KEY, undefined);
    expect(sealed).toEqual({
      person: null,
      national_id_enc: null,
      national_id_hash: null,
      date_of_birth_enc: null,
    });
    expect(maskedPerson(KEY, sealed)).toBeUndefined();
  });
});

describe('canonicalJson', () => {
  it('gives the same text whatever the key order, and different text for different values', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
  });

  it('writes exactly the form the stored body hashes were made with (keys sorted, a missing value as null)', () => {
    // the definition the service hashed request bodies with first; a replay must hash the same
    const reference = (value: unknown): string => {
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
      if (value && typeof value === 'object')
        return `{${Object.keys(value)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${reference((value as Record<string, unknown>)[k])}`)
          .join(',')}}`;
      return JSON.stringify(value) ?? 'null';
    };
    const leaf = fc.oneof(fc.jsonValue(), fc.constant(undefined));
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.string(), fc.oneof(leaf, fc.dictionary(fc.string(), leaf)))),
        (v) => {
          expect(canonicalJson(v)).toBe(reference(v));
        },
      ),
    );
    expect(canonicalJson({ b: undefined, a: [undefined, 1], __proto__x: 2 })).toBe(
      '{"__proto__x":2,"a":[null,1],"b":null}',
    );
    expect(canonicalJson({ b: 1, 10: 'x', 9: 'y', '': 0 })).toBe('{"":0,"10":"x","9":"y","b":1}');
  });
});
