// API clients' public keys (JWKS): register a client, add a key, retire a key. Rotation is "add
// the new key, switch the agency's system to it, retire the old one"; a client always keeps at
// least one key. Only public asymmetric keys are accepted.
import { AppError } from '@hopthu/shared/errors';
import { importJWK, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import { findClient, lockClientKeys, updateClientKeys } from '../../db/client-repository.ts';
import type { Database } from '../../db/schema.ts';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];
const ALGS: Record<string, string[]> = {
  EC: ['ES256', 'ES384', 'ES512'],
  RSA: ['RS256', 'PS256'],
  OKP: ['EdDSA'],
};

const badKey = (vi: string, en: string) =>
  new AppError(
    'validation_failed',
    { vi: 'Khóa không hợp lệ', en: 'Invalid key' },
    {
      errors: [{ field: '/jwk', message: { vi, en } }],
    },
  );

/** Checks a JWK is a usable public signing key with a kid; returns it without private members. */
export async function checkPublicJwk(jwk: Record<string, unknown>): Promise<JWK> {
  if (PRIVATE_MEMBERS.some((m) => m in jwk))
    throw badKey('Chỉ gửi khóa công khai', 'send the public key only');
  const kty = String(jwk.kty ?? '');
  if (!ALGS[kty])
    throw badKey('Chỉ chấp nhận khóa EC, RSA hoặc OKP', 'only EC, RSA or OKP keys are accepted');
  if (typeof jwk.kid !== 'string' || jwk.kid.length < 1 || jwk.kid.length > 200)
    throw badKey('Khóa cần có kid', 'the key needs a kid');
  const alg = typeof jwk.alg === 'string' ? jwk.alg : ALGS[kty]![0]!;
  if (!ALGS[kty]!.includes(alg)) throw badKey('Thuật toán không được hỗ trợ', 'unsupported alg');
  try {
    await importJWK(jwk as JWK, alg);
  } catch {
    throw badKey('Không đọc được khóa', 'the key cannot be read');
  }
  return jwk as JWK;
}

const unknownClient = () => new AppError('not_found', { vi: 'Không có ứng dụng này', en: 'No such client' });

export async function listClientKeys({ db }: { db: Kysely<Database> }, { clientId }: { clientId: string }) {
  const client = await findClient(db, clientId);
  if (!client) throw unknownClient();
  return {
    clientId: client.client_id,
    agencyId: client.agency_id,
    name: client.name,
    disabled: !!client.disabled_at,
    keys: client.jwks.keys.map((k) => ({
      kid: String(k.kid ?? ''),
      kty: String(k.kty ?? ''),
      alg: k.alg ?? null,
    })),
  };
}

export async function addClientKey(
  { db }: { db: Kysely<Database> },
  { clientId, jwk }: { clientId: string; jwk: Record<string, unknown> },
) {
  const key = await checkPublicJwk(jwk);
  return changeClientKeys(db, clientId, (keys) => {
    if (keys.some((k) => k.kid === key.kid))
      throw new AppError('conflict', { vi: 'kid đã tồn tại', en: 'a key with this kid already exists' });
    return [...keys, key as Record<string, unknown>];
  });
}

export async function retireClientKey(
  { db }: { db: Kysely<Database> },
  { clientId, kid }: { clientId: string; kid: string },
) {
  return changeClientKeys(db, clientId, (current) => {
    const keys = current.filter((k) => k.kid !== kid);
    if (keys.length === current.length)
      throw new AppError('not_found', { vi: 'Không có khóa với kid này', en: 'No key with this kid' });
    if (keys.length === 0)
      throw new AppError('conflict', {
        vi: 'Không thể thu hồi khóa cuối cùng; hãy thêm khóa mới trước',
        en: 'The last key cannot be retired; add the new key first',
      });
    return keys;
  });
}

type Keys = Record<string, unknown>[];

/**
 * Replaces a client's keys with what `change` makes of them (it throws to refuse), under a lock on
 * the client's row so that two concurrent changes cannot lose one another.
 */
async function changeClientKeys(db: Kysely<Database>, clientId: string, change: (keys: Keys) => Keys) {
  return db.transaction().execute(async (trx) => {
    const current = await lockClientKeys(trx, clientId);
    if (!current) throw unknownClient();
    const keys = change(current);
    await updateClientKeys(trx, clientId, keys);
    return { clientId, kids: keys.map((k) => String(k.kid)) };
  });
}
