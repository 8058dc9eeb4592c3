// The agency API's bearer token check: the short HS256 access token issue-access-token.ts gave
// names the API client and its agency, the principal every agency route acts for.
import { AppError } from '@hopthu/shared';
import { jwtVerify } from 'jose';
import type { AuthDeps } from './issue-access-token.ts';

export interface Principal {
  clientId: string;
  agencyId: string;
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
