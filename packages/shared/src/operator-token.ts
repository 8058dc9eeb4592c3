// Operators are who the services say they are: the console signs, for the operator logged in, a
// short-lived token (EdDSA, Ed25519; `sub` the operator's name, `role` their role, 2 minutes) and
// calls the services' admin APIs with it. Each service verifies it with the console's public keys
// (its JWK set, fetched from OPERATOR_JWKS_URL and cached) and records that identity: the name in
// a body or an X-Operator header can no longer make one person count as two. The static
// ADMIN_TOKEN stays for local scripts only, and a service started without it refuses it.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, type JWK, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';

export const OPERATOR_TOKEN_ISSUER = 'hopthu-console';
export const OPERATOR_TOKEN_AUDIENCE = 'hopthu-admin';
export const OPERATOR_TOKEN_SECONDS = 120;

/** Who is acting: the operator's account name and role, as the console vouches for them. */
export interface OperatorIdentity {
  name: string;
  role: string;
}

export interface OperatorSigner {
  kid: string;
  key: KeyObject;
  /** The public half, as the console publishes it (GET /.well-known/operator-jwks.json). */
  jwks: { keys: JWK[] };
}

/** The console's signing key from its secret `kid:seed` (a 32-byte Ed25519 seed, base64url). */
export function operatorSigner(secret: string): OperatorSigner {
  const at = secret.indexOf(':');
  const kid = at < 0 ? 'operator' : secret.slice(0, at);
  const seed = Buffer.from(at < 0 ? secret : secret.slice(at + 1), 'base64url');
  if (seed.length !== 32) throw new Error('the operator signing key must be a 32-byte Ed25519 seed');
  // PKCS #8 wrapping of a raw Ed25519 seed (RFC 8410): fixed 16-byte header, then the seed
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const pub = { ...(createPublicKey(key).export({ format: 'jwk' }) as JWK), kid, alg: 'EdDSA', use: 'sig' };
  return { kid, key, jwks: { keys: [pub] } };
}

export async function signOperatorToken(
  signer: OperatorSigner,
  operator: OperatorIdentity,
  now: Date = new Date(),
  seconds: number = OPERATOR_TOKEN_SECONDS,
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ role: operator.role })
    .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: 'operator+jwt' })
    .setIssuer(OPERATOR_TOKEN_ISSUER)
    .setAudience(OPERATOR_TOKEN_AUDIENCE)
    .setSubject(operator.name)
    .setIssuedAt(iat)
    .setExpirationTime(iat + seconds)
    .sign(signer.key);
}

export type OperatorTokenVerifier = (token: string) => Promise<OperatorIdentity>;

/** A verifier of operator tokens against the given keys (a JWK set URL, or a key function). */
export function operatorTokenVerifier(keys: string | JWTVerifyGetKey): OperatorTokenVerifier {
  const getKey =
    typeof keys === 'string' ? createRemoteJWKSet(new URL(keys), { cacheMaxAge: 600_000 }) : keys;
  return async (token) => {
    const { payload } = await jwtVerify(token, getKey, {
      issuer: OPERATOR_TOKEN_ISSUER,
      audience: OPERATOR_TOKEN_AUDIENCE,
      algorithms: ['EdDSA'],
      typ: 'operator+jwt',
      requiredClaims: ['exp', 'sub'],
      maxTokenAge: OPERATOR_TOKEN_SECONDS + 60,
    });
    const role = payload.role;
    if (typeof payload.sub !== 'string' || typeof role !== 'string')
      throw new Error('no operator in the token');
    return { name: payload.sub, role };
  };
}

// The verifier of this process (the service kit installs it from OPERATOR_JWKS_URL), and the
// identity each verified request carries.
let trusted: OperatorTokenVerifier | undefined;
const identities = new WeakMap<object, OperatorIdentity>();

export function trustOperatorTokens(verifier: OperatorTokenVerifier | undefined): void {
  trusted = verifier;
}

/** The operator a bearer token proves, or null (no verifier, not a token, bad or expired token). */
export async function verifyOperatorBearer(
  request: object,
  authorization: string,
): Promise<OperatorIdentity | null> {
  const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization)?.[1];
  if (!token || !trusted) return null;
  try {
    const identity = await trusted(token);
    identities.set(request, identity);
    return identity;
  } catch {
    return null;
  }
}

/** The operator a request's token proved (set by requireAdminToken), if any. */
export function operatorIdentityOf(request: object): OperatorIdentity | undefined {
  return identities.get(request);
}
