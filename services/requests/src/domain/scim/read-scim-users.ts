// GET /Users and GET /Users/{id}: the Users of the client's agency and its sub-units, filtered
// (RFC 7644 §3.4.2.2; `userName eq` and `externalId eq` narrowed in the database), paged with
// startIndex and count, and cut to the attributes asked for.
import { listScimUsers } from '../../db/scim-repository.ts';
import type { Principal } from '../auth/verify-access-token.ts';
import { db, linked, loadOwnUser, resourceOf, type ScimDeps } from './scim-context.ts';
import { compileFilter } from './scim-filter.ts';
import { listAnswer, type ScimListQuery } from './scim-list.ts';

export async function readScimUser(deps: ScimDeps, { principal, id }: { principal: Principal; id: string }) {
  return resourceOf(deps, await loadOwnUser(deps, { principal, id }));
}

export async function listScimUserResources(
  deps: ScimDeps,
  { principal, query }: { principal: Principal; query: ScimListQuery },
) {
  const filter = compileFilter(query.filter);
  const rows = await listScimUsers(db(deps), principal.agencyId, filter.narrowing);
  const resources = [];
  for (const row of rows) {
    const resource = resourceOf(deps, await linked(deps, row));
    if (filter.test(resource)) resources.push(resource);
  }
  return listAnswer(resources, query);
}
