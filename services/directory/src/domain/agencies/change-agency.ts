// Renaming an agency (new name and/or abbreviation), moving it under another parent or re-coding
// it (QĐ 20/2020/QĐ-TTg unit code), effective-dated: the current agency_versions row is closed and
// a new one opened. Addresses follow the tree (readdress-subtree.ts). One transaction, owned here:
// all of it, or nothing. `changeAgencyIn` is the same change inside a caller's transaction (an
// approved rename_unit item, applied in the consumer's inbox transaction).
import { getPolicy } from '@hopthu/naming';
import { AppError } from '@hopthu/shared/errors';
import {
  type Agency,
  changeAgencyVersion,
  findAgencyByAbbreviation,
  findAgencyById,
  findAgencyForUpdate,
  findDescendantIds,
} from '../../db/agency-repository.ts';
import type { ChangeContext, Db, DirectoryDeps } from '../deps.ts';
import { foldForSearch } from '../directory/text.ts';
import { publishAgencyState } from '../mailboxes/directory-state.ts';
import {
  type AgencyChange,
  type AgencyChangeRequest,
  badField,
  checkAgencyChange,
} from './agency-change-input.ts';
import { type AddressMove, readdressUnits, snapshotUnits } from './readdress-subtree.ts';

export interface ChangeAgencyInput extends AgencyChangeRequest {
  agencyId: string;
  reason?: string | undefined;
  actor: string;
  /** The request and item an approved rename_unit came from (null for an operator's change). */
  requestId?: string | null | undefined;
  itemId?: string | null | undefined;
}

export interface ChangeAgencyResult {
  agencyId: string;
  name: string;
  abbreviation: string;
  parentId: string | null;
  unitCode: string | null;
  validFrom: string;
  changed: AddressMove[];
}

export async function changeAgency(
  deps: DirectoryDeps,
  input: ChangeAgencyInput,
): Promise<ChangeAgencyResult> {
  return deps.db.transaction().execute((trx) => changeAgencyIn({ ...deps, db: trx }, input));
}

export async function changeAgencyIn(
  deps: DirectoryDeps,
  input: ChangeAgencyInput,
): Promise<ChangeAgencyResult> {
  const { db } = deps;
  const agency = await findAgencyForUpdate(db, input.agencyId);
  if (!agency) throw new AppError('not_found', { vi: 'Không có cơ quan này', en: 'No such agency' });
  const policy = getPolicy(agency.province);
  const at = deps.clock.now();
  const change = checkAgencyChange(agency, input, at);
  await mustBeFree(db, agency, change.abbreviation, policy.id);
  const subtree = [agency.id, ...(await findDescendantIds(db, agency.id))];
  await mustBeParent(db, agency, change.parentId, subtree, policy.id);

  const units = await snapshotUnits(db, policy, subtree);
  await changeAgencyVersion(
    db,
    agency.id,
    {
      name: change.name,
      foldedName: foldForSearch(change.name),
      abbreviation: change.abbreviation,
      parentId: change.parentId,
      unitCode: change.unitCode,
      validFrom: change.validFrom,
      reason: input.reason ?? null,
      actor: input.actor,
    },
    at,
  );
  const ctx: ChangeContext = {
    at,
    actor: input.actor,
    requestId: input.requestId ?? null,
    itemId: input.itemId ?? null,
    reason: input.reason ?? null,
  };
  const changed = await readdressUnits(db, deps, units, {
    policy,
    ctx,
    details: { agencyId: agency.id, abbreviation: { from: agency.abbreviation, to: change.abbreviation } },
    chosen: { agencyId: agency.id, mailboxName: change.mailboxName },
  });
  for (const unit of units) await publishAgencyState(db, unit.agency.id, ctx);
  return describe(agency, change, changed);
}

function describe(agency: Agency, change: AgencyChange, changed: AddressMove[]): ChangeAgencyResult {
  return {
    agencyId: agency.id,
    name: change.name,
    abbreviation: change.abbreviation,
    parentId: change.parentId,
    unitCode: change.unitCode === undefined ? agency.unitCode : change.unitCode,
    validFrom: change.validFrom.toISOString(),
    changed,
  };
}

/** A new abbreviation must not be another agency's in the province. */
async function mustBeFree(db: Db, agency: Agency, abbreviation: string, province: string): Promise<void> {
  if (abbreviation === agency.abbreviation) return;
  if (await findAgencyByAbbreviation(db, province, abbreviation)) {
    throw new AppError('conflict', {
      vi: `Tên viết tắt ${abbreviation} đã được dùng`,
      en: `The abbreviation ${abbreviation} is taken`,
    });
  }
}

/** A new parent is a live agency of the province, not the agency itself nor one of its units. */
async function mustBeParent(
  db: Db,
  agency: Agency,
  parentId: string | null,
  subtree: readonly string[],
  province: string,
): Promise<void> {
  if (parentId === null || parentId === agency.parentId) return;
  const parent = await findAgencyById(db, parentId);
  if (!parent || parent.province !== province || parent.dissolvedAt) {
    throw badField(
      '/parentId',
      'Không có cơ quan cấp trên này trong tỉnh',
      'No such parent agency in this province',
    );
  }
  if (subtree.includes(parent.id)) {
    throw badField(
      '/parentId',
      'Không thể đặt dưới chính nó hay đơn vị trực thuộc',
      'An agency cannot be moved under itself or its own units',
    );
  }
}
