// Agency authentication: OAuth 2.0 client credentials with private_key_jwt (RFC 7523) only.
// The client signs a short assertion with its registered key; we answer a short HS256 access token.
import { AppError } from '@hopthu/shared';
import { createLocalJWKSet, type JWK, jwtVerify, SignJWT } from 'jose';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const invalidClient = (en: string, vi: string) => new AppError('invalid_client', { vi, en });

export interface AuthDeps {
  db: Kysely<Database>;
  tokenUrl: string;
  tokenSecret: string;
  accessTokenSeconds: number;
}

export interface Principal {
  clientId: string;
  agencyId: string;
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
  const client = await deps.db
    .selectFrom('api_clients')
    .selectAll()
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  if (!client || client.disabled_at) throw invalidClient('unknown client', 'Ứng dụng không được đăng ký');
  let claims: { jti?: string; exp?: number };
  try {
    const keys = createLocalJWKSet({ keys: client.jwks.keys as JWK[] });
    const verified = await jwtVerify(assertion, keys, {
      issuer: clientId,
      subject: clientId,
      audience: deps.tokenUrl,
      algorithms: ['ES256', 'RS256', 'PS256', 'EdDSA'],
      maxTokenAge: '5m',
      requiredClaims: ['exp', 'jti'],
    });
    claims = verified.payload;
  } catch {
    throw invalidClient(
      'client_assertion rejected (signature, audience or expiry)',
      'client_assertion bị từ chối (chữ ký, aud hoặc hạn dùng)',
    );
  }
  const used = await deps.db
    .insertInto('used_assertions')
    .values({ jti: String(claims.jti), client_id: clientId, expires_at: new Date((claims.exp ?? 0) * 1000) })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(used.numInsertedOrUpdatedRows ?? 0) === 0)
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

export async function verifyAccessToken(
  deps: Pick<AuthDeps, 'tokenUrl' | 'tokenSecret'>,
  header: string | undefined,
): Promise<Principal> {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(deps.tokenSecret), {
      issuer: deps.tokenUrl,
      audience: 'hopthu-requests',
      algorithms: ['HS256'],
    });
    return { clientId: String(payload.sub), agencyId: String(payload.agency) };
  } catch {
    throw new AppError('invalid_token', {
      vi: 'Mã truy cập không hợp lệ hoặc đã hết hạn',
      en: 'The access token is invalid or expired',
    });
  }
}
