// The units an agency's system may name in a request: itself and every unit under it, as the
// directory last published them (an agency acts only for itself and its sub-units).
import type { Kysely } from 'kysely';
import { findAgencyAndDescendants } from '../../db/replica-repository.ts';
import type { Database } from '../../db/schema.ts';
import type { Principal } from '../auth/verify-access-token.ts';

export async function listOwnAgencies(
  { db }: { db: Kysely<Database> },
  { principal }: { principal: Principal },
) {
  const rows = await findAgencyAndDescendants(db, principal.agencyId);
  const items = rows.map((r) => ({
    id: r.agency_id,
    name: r.name,
    abbreviation: r.abbreviation,
    parentId: r.parent_id,
    province: r.province,
    domain: r.domain,
    officialMailbox: r.official_mailbox,
    acting: r.agency_id === principal.agencyId,
  }));
  // The acting agency first, then its units by name.
  return { items: [...items.filter((a) => a.acting), ...items.filter((a) => !a.acting)] };
}
