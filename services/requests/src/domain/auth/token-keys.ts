// The keys that sign the agency API's access tokens: Ed25519 (EdDSA), each with a key id (kid).
// TOKEN_SIGNING_KEYS is `kid:seed[,kid:seed]` (32-byte seeds, base64url): the first signs, every
// one verifies, so a rotation puts a new key first and keeps the old one until the tokens it
// signed have expired. The public halves are published as a JWK set (/.well-known/jwks.json):
// anyone can verify a token, nobody outside this service can sign one.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';

/** DER prefix of a PKCS #8 Ed25519 private key; the 32-byte seed follows it (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const ACCESS_TOKEN_ALG = 'EdDSA';

export interface TokenKeys {
  signing: { kid: string; key: KeyObject };
  /** Every key's public half, the signing one first. */
  jwks: { keys: JWK[] };
}

export function tokenKeys(ring: readonly { kid: string; material: string }[]): TokenKeys {
  const keys = ring.map(({ kid, material }) => {
    const seed = Buffer.from(material, 'base64url');
    if (seed.length !== 32) throw new Error(`token key ${kid}: the seed must be 32 bytes`);
    const key = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const pub = createPublicKey(key).export({ format: 'jwk' }) as JWK;
    return { kid, key, jwk: { ...pub, kid, alg: ACCESS_TOKEN_ALG, use: 'sig' } as JWK };
  });
  const first = keys[0];
  if (!first) throw new Error('TOKEN_SIGNING_KEYS holds no key');
  return { signing: { kid: first.kid, key: first.key }, jwks: { keys: keys.map((k) => k.jwk) } };
}
