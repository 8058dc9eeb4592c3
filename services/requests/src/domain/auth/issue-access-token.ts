// Agency authentication: OAuth 2.0 client credentials with private_key_jwt (RFC 7523) only.
// The client signs a short assertion with its registered key; we answer a short HS256 access token
// (checked on each API call by verify-access-token.ts).
import { AppError } from '@hopthu/shared';
import { createLocalJWKSet, type JWK, jwtVerify, SignJWT } from 'jose';
import type { Kysely } from 'kysely';
import { deleteUsedAssertionsBefore, findClient, insertUsedAssertion } from '../../db/client-repository.ts';
import type { Database } from '../../db/schema.ts';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The longest an assertion may live (exp − iat, and exp − now). RFC 7523 asks for short ones. */
export const MAX_ASSERTION_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 30;
const invalidClient = (en: string, vi: string) => new AppError('invalid_client', { vi, en });

export interface AuthDeps {
  db: Kysely<Database>;
  tokenUrl: string;
  tokenSecret: string;
  accessTokenSeconds: number;
}

export async function issueAccessToken(deps: AuthDeps, form: Record<string, unknown>) {
  if (form.grant_type !== 'client_credentials') {
    throw new AppError(
      'validation_failed',
      { vi: 'grant_type phải là client_credentials', en: 'grant_type must be client_credentials' },
      {
        errors: [
          {
            field: '/grant_type',
            message: { vi: 'chỉ hỗ trợ client_credentials', en: 'only client_credentials is supported' },
          },
        ],
      },
    );
  }
  if (form.client_assertion_type !== ASSERTION_TYPE || typeof form.client_assertion !== 'string') {
    throw invalidClient(
      'a private_key_jwt client_assertion is required',
      'Cần client_assertion kiểu private_key_jwt',
    );
  }
  const assertion = form.client_assertion;
  let clientId: string;
  try {
    const [, payload] = assertion.split('.');
    clientId = String(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')).iss ?? '');
  } catch {
    throw invalidClient('malformed client_assertion', 'client_assertion không hợp lệ');
  }
  const client = await findClient(deps.db, clientId);
  if (!client || client.disabled_at) throw invalidClient('unknown client', 'Ứng dụng không được đăng ký');
  let claims: { jti?: string; exp?: number; iat?: number };
  try {
    const keys = createLocalJWKSet({ keys: client.jwks.keys as JWK[] });
    const verified = await jwtVerify(assertion, keys, {
      issuer: clientId,
      subject: clientId,
      audience: deps.tokenUrl,
      algorithms: ['ES256', 'RS256', 'PS256', 'EdDSA'],
      maxTokenAge: `${MAX_ASSERTION_SECONDS}s`,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat', 'jti'],
    });
    claims = verified.payload;
  } catch {
    throw invalidClient(
      'client_assertion rejected (signature, audience or expiry)',
      'client_assertion bị từ chối (chữ ký, aud hoặc hạn dùng)',
    );
  }
  // A long-lived assertion is a standing password: refuse any that lives longer than a few minutes,
  // whatever its iat says (jose's maxTokenAge only bounds the age since iat).
  const nowSeconds = Math.floor(Date.now() / 1000);
  const exp = Number(claims.exp);
  if (
    exp - Number(claims.iat) > MAX_ASSERTION_SECONDS ||
    exp - nowSeconds > MAX_ASSERTION_SECONDS + CLOCK_TOLERANCE_SECONDS ||
    typeof claims.jti !== 'string' ||
    claims.jti.length < 8 ||
    claims.jti.length > 200
  ) {
    throw invalidClient(
      `client_assertion must expire within ${MAX_ASSERTION_SECONDS} s and carry a unique jti`,
      `client_assertion phải hết hạn trong vòng ${MAX_ASSERTION_SECONDS} giây và có jti duy nhất`,
    );
  }
  // Forget jtis whose assertions expired long ago (a replay of those fails on exp anyway).
  await deleteUsedAssertionsBefore(deps.db, new Date(Date.now() - 10 * 60_000));
  const firstUse = await insertUsedAssertion(deps.db, {
    // jti is unique per issuer: two clients may pick the same one.
    jti: `${clientId} ${claims.jti}`,
    clientId,
    expiresAt: new Date((claims.exp ?? 0) * 1000),
  });
  if (!firstUse)
    throw invalidClient('client_assertion already used (jti)', 'client_assertion đã được dùng (jti)');
  const accessToken = await new SignJWT({ agency: client.agency_id })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(clientId)
    .setAudience('hopthu-requests')
    .setIssuer(deps.tokenUrl)
    .setIssuedAt()
    .setExpirationTime(`${deps.accessTokenSeconds}s`)
    .sign(new TextEncoder().encode(deps.tokenSecret));
  return { access_token: accessToken, token_type: 'Bearer', expires_in: deps.accessTokenSeconds };
}
