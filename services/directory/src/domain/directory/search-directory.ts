// The public directory (Danh bạ): find mailboxes by a name typed with or without diacritics, by
// agency (its abbreviation or id, with its sub-units), or by address. Only public fields leave.
import { findAgenciesByAbbreviation, findAgencyById, findDescendantIds } from '../../db/agency-repository.ts';
import { type DirectoryEntry, searchDirectory } from '../../db/directory-repository.ts';
import type { MailboxStateName } from '../../db/schema.ts';
import type { Db } from '../deps.ts';
import { searchWords } from './text.ts';

export interface SearchInput {
  q?: string | undefined;
  agency?: string | undefined;
  address?: string | undefined;
  province?: string | undefined;
  limit?: number | undefined;
}

export const PUBLIC_STATES: MailboxStateName[] = ['active'];

export async function searchPublicDirectory(db: Db, input: SearchInput): Promise<DirectoryEntry[]> {
  let agencyIds: string[] | undefined;
  if (input.agency) {
    const byId = await findAgencyById(db, input.agency);
    const agencies = byId
      ? [byId]
      : await findAgenciesByAbbreviation(db, input.agency.trim().toLowerCase(), input.province);
    agencyIds = [];
    for (const agency of agencies) agencyIds.push(agency.id, ...(await findDescendantIds(db, agency.id)));
  }
  return searchDirectory(db, {
    nameWords: input.q ? searchWords(input.q) : undefined,
    agencyIds,
    address: input.address?.trim().toLowerCase(),
    province: input.province,
    states: PUBLIC_STATES,
    limit: Math.min(Math.max(input.limit ?? 50, 1), 200),
  });
}
