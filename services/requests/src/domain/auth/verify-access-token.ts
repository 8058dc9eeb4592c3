// The agency API's bearer token check: the short EdDSA access token issue-access-token.ts gave
// (signed by one of TOKEN_SIGNING_KEYS, named by its kid) names the API client and its agency, the
// principal every agency route acts for. Nothing but EdDSA is accepted: no HS256, no alg none.
import { AppError } from '@hopthu/shared/errors';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, type AuthDeps } from './issue-access-token.ts';
import { ACCESS_TOKEN_ALG } from './token-keys.ts';

export interface Principal {
  clientId: string;
  agencyId: string;
}

const verifiers = new WeakMap<object, ReturnType<typeof createLocalJWKSet>>();

export async function verifyAccessToken(
  deps: Pick<AuthDeps, 'tokenUrl' | 'tokenKeys' | 'clock'>,
  { authorization: header }: { authorization: string | undefined },
): Promise<Principal> {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
  let keys = verifiers.get(deps.tokenKeys);
  if (!keys) {
    keys = createLocalJWKSet(deps.tokenKeys.jwks);
    verifiers.set(deps.tokenKeys, keys);
  }
  try {
    const { payload } = await jwtVerify(token, keys, {
      issuer: deps.tokenUrl,
      audience: ACCESS_TOKEN_AUDIENCE,
      algorithms: [ACCESS_TOKEN_ALG],
      typ: 'at+jwt',
      currentDate: deps.clock.now(),
    });
    return { clientId: String(payload.sub), agencyId: String(payload.agency) };
  } catch {
    throw new AppError('invalid_token', {
      vi: 'Mã truy cập không hợp lệ hoặc đã hết hạn',
      en: 'The access token is invalid or expired',
    });
  }
}
