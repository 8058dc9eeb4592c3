// SCIM bearer tokens: identity providers (Keycloak, authentik, Entra ID) send a static bearer token
// and cannot sign private_key_jwt assertions, so an operator issues one to an agency's API client
// and can revoke it. It acts as that client (its agency and sub-units only), like the client's own
// OAuth access token, which the SCIM endpoint accepts too. Only the token's SHA-256 is stored;
// the token is shown once.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock, NewId } from '@hopthu/shared/clock';
import { AppError } from '@hopthu/shared/errors';
import type { Kysely } from 'kysely';
import { findClient } from '../../db/client-repository.ts';
import {
  findClientByScimToken,
  insertScimToken,
  listScimTokens,
  revokeScimToken,
} from '../../db/scim-repository.ts';
import type { Database } from '../../db/schema.ts';
import type { AuthDeps } from '../auth/issue-access-token.ts';
import { type Principal, verifyAccessToken } from '../auth/verify-access-token.ts';

/** Marks a SCIM token (and lets secret scanners find one that leaked). */
export const SCIM_TOKEN_PREFIX = 'hopthu_scim_';

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

const noClient = () => new AppError('not_found', { vi: 'Không có ứng dụng này', en: 'No such API client' });

export async function issueScimToken(
  deps: { db: Kysely<Database>; clock: Clock; newId: NewId },
  { clientId, label }: { clientId: string; label: string },
) {
  if (!(await findClient(deps.db, clientId))) throw noClient();
  const token = `${SCIM_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = deps.newId();
  const at = deps.clock.now();
  await insertScimToken(deps.db, { id, clientId, tokenHash: hashOf(token), label, at });
  return { id, clientId, label, createdAt: at.toISOString(), token };
}

export async function listClientScimTokens(
  { db }: { db: Kysely<Database> },
  { clientId }: { clientId: string },
) {
  if (!(await findClient(db, clientId))) throw noClient();
  const rows = await listScimTokens(db, clientId);
  return {
    clientId,
    tokens: rows.map((r) => ({
      id: r.id,
      label: r.label,
      createdAt: new Date(r.created_at).toISOString(),
      revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
    })),
  };
}

export async function revokeClientScimToken(
  deps: { db: Kysely<Database>; clock: Clock },
  { clientId, id }: { clientId: string; id: string },
) {
  if (!(await revokeScimToken(deps.db, clientId, id, deps.clock.now())))
    throw new AppError('not_found', { vi: 'Không có mã SCIM này', en: 'No such SCIM token' });
  return listClientScimTokens(deps, { clientId });
}

/** The principal of a SCIM call: a live SCIM token's client, or the client of an OAuth access token. */
export async function authenticateScim(
  deps: { db: Kysely<Database>; auth: Pick<AuthDeps, 'tokenUrl' | 'tokenKeys' | 'clock'> },
  { authorization: header }: { authorization: string | undefined },
): Promise<Principal> {
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!token.startsWith(SCIM_TOKEN_PREFIX)) return verifyAccessToken(deps.auth, { authorization: header });
  const client = await findClientByScimToken(deps.db, hashOf(token));
  if (!client)
    throw new AppError('invalid_token', {
      vi: 'Mã SCIM không hợp lệ hoặc đã bị thu hồi',
      en: 'The SCIM token is invalid or revoked',
    });
  return { clientId: client.client_id, agencyId: client.agency_id };
}
