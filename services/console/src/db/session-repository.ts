// Sessions and login attempts: the only Kysely code for those tables. Sessions are looked up by
// the SHA-256 of their token, so a copy of the database holds no usable session.
import type { Kysely } from 'kysely';
import type { ConsoleDb, Role } from './schema.ts';

export interface SessionRecord {
  tokenHash: string;
  operatorId: string;
  username: string;
  displayName: string;
  role: Role;
  operatorDisabled: boolean;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export async function insertSession(
  db: Kysely<ConsoleDb>,
  s: {
    tokenHash: string;
    operatorId: string;
    csrfToken: string;
    now: Date;
    expiresAt: Date;
    clientIp: string;
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: s.tokenHash,
      operator_id: s.operatorId,
      csrf_token: s.csrfToken,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
      client_ip: s.clientIp,
    })
    .execute();
}

export async function findSession(
  db: Kysely<ConsoleDb>,
  tokenHash: string,
): Promise<SessionRecord | undefined> {
  const r = await db
    .selectFrom('sessions as s')
    .innerJoin('operators as o', 'o.id', 's.operator_id')
    .select([
      's.token_hash',
      's.operator_id',
      's.csrf_token',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      'o.username',
      'o.display_name',
      'o.role',
      'o.disabled_at',
    ])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    tokenHash: r.token_hash,
    operatorId: r.operator_id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    operatorDisabled: r.disabled_at !== null,
    csrfToken: r.csrf_token,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
  };
}

export async function touchSession(db: Kysely<ConsoleDb>, tokenHash: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
}

export async function deleteSession(db: Kysely<ConsoleDb>, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Drops sessions past their absolute end or idle since `idleBefore`. */
export async function deleteExpiredSessions(
  db: Kysely<ConsoleDb>,
  now: Date,
  idleBefore: Date,
): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
    .execute();
}

export async function insertLoginAttempt(
  db: Kysely<ConsoleDb>,
  a: { username: string; clientIp: string; succeeded: boolean; at: Date },
): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({ username: a.username, client_ip: a.clientIp, succeeded: a.succeeded, at: a.at })
    .execute();
}

/** Failed logins since `since` for this user name and from this address. */
export async function countRecentFailures(
  db: Kysely<ConsoleDb>,
  q: { username: string; clientIp: string; since: Date },
): Promise<{ byUser: number; byIp: number }> {
  const r = await db
    .selectFrom('login_attempts')
    .select((eb) => [
      eb.fn.count<number>('id').filterWhere('username', '=', q.username).as('by_user'),
      eb.fn.count<number>('id').filterWhere('client_ip', '=', q.clientIp).as('by_ip'),
    ])
    .where('succeeded', '=', false)
    .where('at', '>=', q.since)
    .where((eb) => eb.or([eb('username', '=', q.username), eb('client_ip', '=', q.clientIp)]))
    .executeTakeFirstOrThrow();
  return { byUser: Number(r.by_user), byIp: Number(r.by_ip) };
}

/** Login attempts only matter within the rate-limit window; older ones are dropped. */
export async function deleteLoginAttemptsBefore(db: Kysely<ConsoleDb>, before: Date): Promise<void> {
  await db.deleteFrom('login_attempts').where('at', '<', before).execute();
}

/** Ends every session of an operator, except the one with `keepTokenHash` if given. */
export async function deleteSessionsOfOperator(
  db: Kysely<ConsoleDb>,
  operatorId: string,
  keepTokenHash?: string,
): Promise<number> {
  let q = db.deleteFrom('sessions').where('operator_id', '=', operatorId);
  if (keepTokenHash) q = q.where('token_hash', '<>', keepTokenHash);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}
