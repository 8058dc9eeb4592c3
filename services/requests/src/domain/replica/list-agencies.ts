// The agencies of the directory replica, as stored (GET /admin/agencies, for operators checking
// what authorisation sees).
import type { Kysely } from 'kysely';
import { findAllAgencies } from '../../db/replica-repository.ts';
import type { Database } from '../../db/schema.ts';

export async function listAgencies({ db }: { db: Kysely<Database> }) {
  return { items: await findAllAgencies(db) };
}
