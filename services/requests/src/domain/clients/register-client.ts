// An operator registers an agency's API client with its first public key (POST /admin/clients);
// registering a known client id again replaces its agency, name and keys.
import type { Kysely } from 'kysely';
import { upsertClient } from '../../db/client-repository.ts';
import type { Database } from '../../db/schema.ts';
import { checkPublicJwk } from './manage-client-keys.ts';

export async function registerClient(
  deps: { db: Kysely<Database>; tokenUrl: string },
  client: { clientId: string; agencyId: string; name: string; jwk: Record<string, unknown> },
) {
  const { clientId, agencyId, name } = client;
  const key = await checkPublicJwk(client.jwk);
  await upsertClient(deps.db, { clientId, agencyId, name, keys: [key as Record<string, unknown>] });
  return { clientId, agencyId, tokenUrl: deps.tokenUrl };
}
