// The public directory (Danh bạ): find mailboxes by a name typed with or without diacritics, by
// agency (its abbreviation or id, with its sub-units), or by address. Only public fields leave.
import { findAgenciesByAbbreviation, findAgencyById, findDescendantIds } from '../../db/agency-repository.ts';
import { countDirectory, type DirectoryEntry, searchDirectory } from '../../db/directory-repository.ts';
import type { MailboxStateName } from '../../db/schema.ts';
import type { Db, DirectoryDeps } from '../deps.ts';
import { searchWords } from './text.ts';

export interface SearchInput {
  q?: string | undefined;
  agency?: string | undefined;
  address?: string | undefined;
  province?: string | undefined;
  limit?: number | undefined;
}

export const PUBLIC_STATES: MailboxStateName[] = ['active'];

async function agencyScope(db: Db, input: SearchInput): Promise<string[] | undefined> {
  if (!input.agency) return undefined;
  const byId = await findAgencyById(db, input.agency);
  const agencies = byId
    ? [byId]
    : await findAgenciesByAbbreviation(db, input.agency.trim().toLowerCase(), input.province);
  const agencyIds: string[] = [];
  for (const agency of agencies) agencyIds.push(agency.id, ...(await findDescendantIds(db, agency.id)));
  return agencyIds;
}

export async function searchPublicDirectory(
  deps: Pick<DirectoryDeps, 'db'>,
  input: SearchInput,
): Promise<DirectoryEntry[]> {
  const { db } = deps;
  return searchDirectory(db, {
    nameWords: input.q ? searchWords(input.q) : undefined,
    agencyIds: await agencyScope(db, input),
    address: input.address?.trim().toLowerCase(),
    province: input.province,
    states: PUBLIC_STATES,
    limit: Math.min(Math.max(input.limit ?? 50, 1), 200),
  });
}

/** Every mailbox not deleted (operators look for suspended and locked ones too). */
export const OPERATOR_STATES: MailboxStateName[] = ['provisioning', 'active', 'suspended', 'locked'];

/**
 * The operators' search: the same filters over every state they act on (or one state), a page of
 * entries with their state, and how many there are in all.
 */
export async function searchOperatorDirectory(
  deps: Pick<DirectoryDeps, 'db'>,
  input: SearchInput & { state?: MailboxStateName | undefined; offset?: number | undefined },
) {
  const { db } = deps;
  const query = {
    nameWords: input.q ? searchWords(input.q) : undefined,
    agencyIds: await agencyScope(db, input),
    address: input.address?.trim().toLowerCase(),
    province: input.province,
    states: input.state ? [input.state] : OPERATOR_STATES,
  };
  const [items, total] = await Promise.all([
    searchDirectory(db, {
      ...query,
      limit: Math.min(Math.max(input.limit ?? 50, 1), 1000),
      offset: input.offset ?? 0,
    }),
    countDirectory(db, query),
  ]);
  return { items, total };
}
