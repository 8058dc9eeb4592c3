// GET /Groups and GET /Groups/{id}: the client's agency and its sub-units as SCIM Groups, each
// with the SCIM Users that belong to it. Read-only for agencies: the agency tree is decided by the
// authorities that establish agencies and kept by the directory (operators change it).
import { findAgencyAndDescendants, type AgencyRow } from '../../db/replica-repository.ts';
import { listScimUsersOfAgencies, type ScimUserRow } from '../../db/scim-repository.ts';
import type { Principal } from '../auth/verify-access-token.ts';
import { db, type ScimDeps } from './scim-context.ts';
import { SCIM } from './scim-discovery.ts';
import { scimError } from './scim-errors.ts';
import { compileFilter } from './scim-filter.ts';
import { listAnswer, type ScimListQuery } from './scim-list.ts';
import { fullName, versionOf } from './scim-user-mapping.ts';

function toScimGroup(deps: ScimDeps, agency: AgencyRow, members: ScimUserRow[]): Record<string, unknown> {
  const resource: Record<string, unknown> = {
    schemas: [SCIM.group],
    id: agency.agency_id,
    displayName: agency.name,
    members: members.map((m) => ({
      value: m.id,
      display: fullName(m.person),
      $ref: `${deps.base}/Users/${m.id}`,
    })),
  };
  resource.meta = {
    resourceType: 'Group',
    lastModified: new Date(agency.updated_at).toISOString(),
    location: `${deps.base}/Groups/${agency.agency_id}`,
    version: versionOf(resource),
  };
  return resource;
}

async function groupsOf(deps: ScimDeps, principal: Principal) {
  const agencies = await findAgencyAndDescendants(db(deps), principal.agencyId);
  const users = await listScimUsersOfAgencies(
    db(deps),
    agencies.map((a) => a.agency_id),
  );
  return agencies.map((a) =>
    toScimGroup(
      deps,
      a,
      users.filter((u) => u.agencyId === a.agency_id),
    ),
  );
}

export async function listScimGroupResources(
  deps: ScimDeps,
  { principal, query }: { principal: Principal; query: ScimListQuery },
) {
  const filter = compileFilter(query.filter);
  const groups = (await groupsOf(deps, principal)).filter((g) => filter.test(g));
  return listAnswer(groups, query);
}

export async function readScimGroup(deps: ScimDeps, { principal, id }: { principal: Principal; id: string }) {
  const group = (await groupsOf(deps, principal)).find((g) => g.id === id);
  if (!group) throw scimError(404, undefined, { vi: 'Không tìm thấy nhóm', en: 'Group not found' });
  return group;
}

/** Agencies cannot change the agency tree over SCIM. */
export const groupsAreReadOnly = () =>
  scimError(403, undefined, {
    vi: 'Nhóm (cơ quan và đơn vị trực thuộc) chỉ đọc qua SCIM: cây cơ quan do Sở TTTT cập nhật theo quyết định thành lập',
    en: "Groups (the agency and its sub-units) are read-only over SCIM: the agency tree is changed by the Sở TTTT's operators, following the decisions that establish agencies",
  });
