import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPasswordHashProblem } from './password-hash-format.ts';

// Written by `doveadm pw -s <scheme> -p 'Mat-khau-cu-1'` (Dovecot 2.3.19, the local mail server).
const DOVEADM = {
  'SHA512-CRYPT':
    '{SHA512-CRYPT}$6$2YD4few.UGM3vUI1$xKx9A2ZFFYZ1Ka0tCy2j.5Gox4kaxBjNVmJLR4oQQh42Z.71dP0FlC/AFSCKFOntRnNbxLj9MTvjW2WDQCJeo1',
  'SHA256-CRYPT': '{SHA256-CRYPT}$5$yyO.ep5407uQPaV0$th14Pxn8U06UABo0g..mtp996ob3Ko24JQ1uzb36l1C',
  'BLF-CRYPT': '{BLF-CRYPT}$2y$05$1MxK5nn/3akKHXCXkRVwduAgv4blCYp15heMfgxz6tI/uxnvohBFW',
  ARGON2ID:
    '{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$jQhYqMr1u3bhUfsCdSKe6g$L4x6K33g6KPN1gCW8PO05BvpFvNIpDE2mt44vi3Fxmc',
  ARGON2I:
    '{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$s17KbTJbBZWHhTlEuicryQ$JfRoL2BwnNdAMEPGoaODb23scT7eQ1Qtnr8qTIYOeEE',
  SSHA512:
    '{SSHA512}XgCLgbIosbVCzN6UMVnTSqMG+fN6aGjdyN9hUDpGnVgZyK1iJghk4lA6Z/trXooQ8P/x9vIAUiCXg/Hmp9gDo7G3a3Q=',
  SHA512: '{SHA512}Lm9nnidjKGWVrtUozGhK0Y1CCXAOKie7AqF5QStaDYQJj+qy7vDqcy48zkFRJVVM30j/GDWLWy0JatWid8F19Q==',
  SSHA256: '{SSHA256}z6AVUwum1YzZNxFvc+7BQQphiVtUrinFmZoge5XxE6P16xuL',
  SSHA: '{SSHA}wC2LPqO7X4fvcBkuknk9BU1j7cibGURN',
  'MD5-CRYPT': '{MD5-CRYPT}$1$.WryYSvH$HbLs7lU3OELKtJ3alHzvO/',
};

/** Zimbra's userPassword: base64(SHA-512(password + salt) + salt), an 8-byte salt. */
function zimbraSsha512(password: string, salt = randomBytes(8)): string {
  const digest = createHash('sha512')
    .update(Buffer.concat([Buffer.from(password), salt]))
    .digest();
  return `{SSHA512}${Buffer.concat([digest, salt]).toString('base64')}`;
}

describe('password hashes an import takes', () => {
  it.each(Object.entries(DOVEADM))(
    'when a %s hash is as doveadm writes it, then it is taken',
    (_scheme, hash) => {
      expect(findPasswordHashProblem(hash)).toBeNull();
    },
  );

  it('when a hash is Zimbra’s {SSHA512} with its 8-byte salt, then it is taken', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.uint8Array({ minLength: 4, maxLength: 16 }),
        (pw, salt) => {
          expect(findPasswordHashProblem(zimbraSsha512(pw, Buffer.from(salt)))).toBeNull();
        },
      ),
    );
  });

  it.each(Object.entries(DOVEADM))('when a %s hash is cut in half, then it is malformed', (scheme, hash) => {
    const problem = findPasswordHashProblem(hash.slice(0, Math.ceil(hash.length / 2)));
    expect(problem?.en).toContain(`{${scheme}}`);
  });

  it('when the scheme prefix is missing, then the problem says a {SCHEME} is needed', () => {
    expect(findPasswordHashProblem('$6$abc$def')?.en).toMatch(/\{SCHEME\} prefix/);
  });

  it('when the scheme is one Dovecot would not check, then it is refused naming the scheme', () => {
    expect(findPasswordHashProblem('{WHIRLPOOL}abcdefgh')?.en).toMatch(/\{WHIRLPOOL\} is not supported/);
  });

  it('when a cleartext {PLAIN} password is given, then it is refused', () => {
    expect(findPasswordHashProblem('{PLAIN}secret123')?.vi).toMatch(/mật khẩu dạng rõ/);
  });

  it('when an {SHA512} digest is salted (too long) or an {SSHA512} has no salt, then both are malformed', () => {
    const digest = createHash('sha512').update('x').digest();
    expect(
      findPasswordHashProblem(`{SHA512}${Buffer.concat([digest, Buffer.from('salt')]).toString('base64')}`),
    ).not.toBeNull();
    expect(findPasswordHashProblem(`{SSHA512}${digest.toString('base64')}`)).not.toBeNull();
  });

  it('when a bcrypt hash has an impossible cost, then it is malformed', () => {
    expect(findPasswordHashProblem(DOVEADM['BLF-CRYPT'].replace('$05$', '$45$'))).not.toBeNull();
  });

  it('when the scheme is written in lower case, then it is still recognised', () => {
    expect(findPasswordHashProblem(DOVEADM.SSHA512.replace('{SSHA512}', '{ssha512}'))).toBeNull();
  });
});
