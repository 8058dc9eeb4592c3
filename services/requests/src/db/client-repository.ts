// The Kysely code of agencies' API clients (their public keys, JWKS) and of the client assertions
// already used (jti replay protection).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Keys = Record<string, unknown>[];

/** Registers a client, or replaces the agency, name and keys of one already registered. */
export async function upsertClient(
  db: Db,
  c: { clientId: string; agencyId: string; name: string; keys: Keys },
): Promise<void> {
  const jwks = JSON.stringify({ keys: c.keys });
  await db
    .insertInto('api_clients')
    .values({ client_id: c.clientId, agency_id: c.agencyId, name: c.name, jwks })
    .onConflict((oc) => oc.column('client_id').doUpdateSet({ jwks, agency_id: c.agencyId, name: c.name }))
    .execute();
}

export async function findClient(db: Db, clientId: string) {
  return db.selectFrom('api_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
}

/** The client's keys, locked until the transaction ends, so two key changes cannot lose one another. */
export async function lockClientKeys(
  trx: Transaction<Database>,
  clientId: string,
): Promise<Keys | undefined> {
  const row = await trx
    .selectFrom('api_clients')
    .select('jwks')
    .where('client_id', '=', clientId)
    .forUpdate()
    .executeTakeFirst();
  return row?.jwks.keys;
}

export async function updateClientKeys(
  trx: Transaction<Database>,
  clientId: string,
  keys: Keys,
): Promise<void> {
  await trx
    .updateTable('api_clients')
    .set({ jwks: JSON.stringify({ keys }) })
    .where('client_id', '=', clientId)
    .execute();
}

/** Forgets used assertions that expired before `before` (a replay of those fails on exp anyway). */
export async function deleteUsedAssertionsBefore(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('used_assertions').where('expires_at', '<', before).execute();
}

/** Records an assertion's jti as used; false when it already was (a replay). */
export async function insertUsedAssertion(
  db: Db,
  a: { jti: string; clientId: string; expiresAt: Date },
): Promise<boolean> {
  const used = await db
    .insertInto('used_assertions')
    .values({ jti: a.jti, client_id: a.clientId, expires_at: a.expiresAt })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(used.numInsertedOrUpdatedRows ?? 0) > 0;
}
