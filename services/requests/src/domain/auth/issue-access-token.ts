// Agency authentication: OAuth 2.0 client credentials with private_key_jwt (RFC 7523) only.
// The client signs a short assertion with its registered key; we answer a short access token
// signed with this service's Ed25519 key (EdDSA, with its kid; token-keys.ts), checked on each API
// call by verify-access-token.ts. Refusals follow RFC 6749 §5.2 and name the failed check.
import type { Clock } from '@hopthu/shared/clock';
import { createLocalJWKSet, errors, type JWK, jwtVerify, SignJWT } from 'jose';
import type { Kysely } from 'kysely';
import { deleteUsedAssertionsBefore, findClient, insertUsedAssertion } from '../../db/client-repository.ts';
import type { Database } from '../../db/schema.ts';
import { type FailedCheck, OAuthError } from './token-errors.ts';
import { ACCESS_TOKEN_ALG, type TokenKeys } from './token-keys.ts';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The longest an assertion may live (exp − iat, and exp − now). RFC 7523 asks for short ones. */
export const MAX_ASSERTION_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 30;
/** The audience of access tokens: this API. */
export const ACCESS_TOKEN_AUDIENCE = 'hopthu-requests';
const invalidClient = (check: FailedCheck, en: string, vi: string) =>
  new OAuthError('invalid_client', check, { vi, en });

export interface AuthDeps {
  db: Kysely<Database>;
  tokenUrl: string;
  tokenKeys: TokenKeys;
  accessTokenSeconds: number;
  /** The time tokens and assertions are checked and issued at. */
  clock: Clock;
}

/** Which check a refused assertion failed, from jose's error (never its message: it may quote claims). */
function failedCheckOf(e: unknown, tokenUrl: string): OAuthError {
  if (e instanceof errors.JWTExpired)
    return invalidClient(
      'expiry',
      `client_assertion rejected: expired or issued too long ago (exp, iat; at most ${MAX_ASSERTION_SECONDS} s)`,
      `client_assertion bị từ chối: đã hết hạn hoặc tạo quá lâu (exp, iat; tối đa ${MAX_ASSERTION_SECONDS} giây)`,
    );
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'aud')
      return invalidClient(
        'audience',
        `client_assertion rejected: audience (aud must be ${tokenUrl})`,
        `client_assertion bị từ chối: sai đối tượng nhận (aud phải là ${tokenUrl})`,
      );
    if (e.claim === 'iss' || e.claim === 'sub')
      return invalidClient(
        'issuer',
        'client_assertion rejected: iss and sub must both be the client id',
        'client_assertion bị từ chối: iss và sub phải cùng là mã ứng dụng (client id)',
      );
    if (e.claim === 'iat' || e.claim === 'nbf' || e.claim === 'exp')
      return invalidClient(
        'expiry',
        `client_assertion rejected: time claims (${e.claim}) out of range`,
        `client_assertion bị từ chối: thời điểm (${e.claim}) không hợp lệ`,
      );
    return invalidClient(
      'jti',
      `client_assertion rejected: the ${e.claim} claim is missing or invalid`,
      `client_assertion bị từ chối: thiếu hoặc sai trường ${e.claim}`,
    );
  }
  if (e instanceof errors.JOSEAlgNotAllowed || e instanceof errors.JOSENotSupported)
    return invalidClient(
      'algorithm',
      'client_assertion rejected: algorithm not allowed (ES256, RS256, PS256 or EdDSA)',
      'client_assertion bị từ chối: thuật toán không được phép (ES256, RS256, PS256 hoặc EdDSA)',
    );
  if (
    e instanceof errors.JWSSignatureVerificationFailed ||
    e instanceof errors.JWKSNoMatchingKey ||
    e instanceof errors.JWKSMultipleMatchingKeys
  )
    return invalidClient(
      'signature',
      "client_assertion rejected: signature (not made by one of the client's registered keys)",
      'client_assertion bị từ chối: chữ ký không khớp khóa nào đã đăng ký của ứng dụng',
    );
  return invalidClient(
    'malformed',
    'malformed client_assertion',
    'client_assertion không đúng định dạng JWT',
  );
}

export async function issueAccessToken(deps: AuthDeps, form: Record<string, unknown>) {
  if (form.grant_type !== 'client_credentials') {
    throw new OAuthError('unsupported_grant_type', 'grant_type', {
      vi: 'grant_type phải là client_credentials',
      en: 'grant_type must be client_credentials',
    });
  }
  if (form.client_assertion_type !== ASSERTION_TYPE || typeof form.client_assertion !== 'string') {
    throw invalidClient(
      'assertion_type',
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
    throw invalidClient(
      'malformed',
      'malformed client_assertion',
      'client_assertion không đúng định dạng JWT',
    );
  }
  const client = await findClient(deps.db, clientId);
  if (!client || client.disabled_at)
    throw invalidClient(
      'client',
      'unknown or disabled client (iss)',
      'Ứng dụng (iss) chưa đăng ký hoặc đã bị khóa',
    );
  const now = deps.clock.now();
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
      currentDate: now,
    });
    claims = verified.payload;
  } catch (e) {
    throw failedCheckOf(e, deps.tokenUrl);
  }
  // A long-lived assertion is a standing password: refuse any that lives longer than a few minutes,
  // whatever its iat says (jose's maxTokenAge only bounds the age since iat).
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const exp = Number(claims.exp);
  if (
    exp - Number(claims.iat) > MAX_ASSERTION_SECONDS ||
    exp - nowSeconds > MAX_ASSERTION_SECONDS + CLOCK_TOLERANCE_SECONDS
  ) {
    throw invalidClient(
      'lifetime',
      `client_assertion must expire within ${MAX_ASSERTION_SECONDS} s`,
      `client_assertion phải hết hạn trong vòng ${MAX_ASSERTION_SECONDS} giây`,
    );
  }
  if (typeof claims.jti !== 'string' || claims.jti.length < 8 || claims.jti.length > 200) {
    throw invalidClient(
      'jti',
      'client_assertion must carry a unique jti of 8 to 200 characters',
      'client_assertion phải có jti duy nhất dài 8 đến 200 ký tự',
    );
  }
  // Forget jtis whose assertions expired long ago (a replay of those fails on exp anyway).
  await deleteUsedAssertionsBefore(deps.db, new Date(now.getTime() - 10 * 60_000));
  const firstUse = await insertUsedAssertion(deps.db, {
    // jti is unique per issuer: two clients may pick the same one.
    jti: `${clientId} ${claims.jti}`,
    clientId,
    expiresAt: new Date((claims.exp ?? 0) * 1000),
  });
  if (!firstUse)
    throw invalidClient(
      'jti_replay',
      'client_assertion already used (jti replay): sign a new one for each token request',
      'client_assertion đã được dùng (jti lặp lại): ký assertion mới cho mỗi lần xin mã',
    );
  const { signing } = deps.tokenKeys;
  const accessToken = await new SignJWT({ agency: client.agency_id })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid: signing.kid, typ: 'at+jwt' })
    .setSubject(clientId)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuer(deps.tokenUrl)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + deps.accessTokenSeconds)
    .sign(signing.key);
  return { access_token: accessToken, token_type: 'Bearer', expires_in: deps.accessTokenSeconds };
}
