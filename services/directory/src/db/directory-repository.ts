// Read side of the public directory: live mailboxes with only their public fields.
import { type Kysely, sql } from 'kysely';
import type { DirectoryDatabase, MailboxStateName } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

export interface DirectoryEntry {
  mailboxId: string;
  address: string;
  type: 'personal' | 'agency';
  displayName: string;
  position: string | null;
  department: string | null;
  agencyId: string;
  agencyName: string;
  agencyAbbreviation: string;
  province: string;
}

export interface DirectoryQuery {
  /** Folded (ASCII, lowercase, single-spaced) name words; each must occur in the folded name. */
  nameWords?: string[];
  agencyIds?: string[];
  address?: string;
  province?: string;
  states: MailboxStateName[];
  limit: number;
}

function directoryQuery(db: Db, q: Omit<DirectoryQuery, 'limit'>) {
  let query = db
    .selectFrom('mailboxes as m')
    .innerJoin('agencies as a', 'a.id', 'm.agency_id')
    .leftJoin('people as p', 'p.id', 'm.person_id')
    .where('m.state', 'in', q.states);
  for (const word of q.nameWords ?? []) {
    // Each word starts a word of the folded name: "nguyen van a" finds "Nguyễn Văn An" and "Nguyễn Văn A".
    const pattern = `% ${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`(' ' || coalesce(p.folded_name, a.folded_name)) LIKE ${pattern}`);
  }
  if (q.agencyIds)
    query = query.where(
      'm.agency_id',
      'in',
      q.agencyIds.length ? q.agencyIds : ['00000000-0000-0000-0000-000000000000'],
    );
  if (q.address) query = query.where('m.address', '=', q.address);
  if (q.province) query = query.where('m.province', '=', q.province);
  return query;
}

export async function searchDirectory(
  db: Db,
  q: DirectoryQuery & { offset?: number },
): Promise<(DirectoryEntry & { state: MailboxStateName })[]> {
  const rows = await directoryQuery(db, q)
    .select([
      'm.id as mailboxId',
      'm.address',
      'm.type',
      'm.state',
      sql<string>`CASE WHEN m.type = 'personal'
        THEN concat_ws(' ', p.family_name, nullif(p.middle_name, ''), p.given_name) ELSE a.name END`.as(
        'displayName',
      ),
      'p.position',
      'p.department',
      'a.id as agencyId',
      'a.name as agencyName',
      'a.abbreviation as agencyAbbreviation',
      'm.province',
    ])
    .orderBy(sql`coalesce(p.folded_name, a.folded_name)`)
    .orderBy('m.address')
    .limit(q.limit)
    .offset(q.offset ?? 0)
    .execute();
  return rows.map((r) => ({ ...r, position: r.position ?? null, department: r.department ?? null }));
}

/** How many mailboxes the same search finds in all. */
export async function countDirectory(db: Db, q: Omit<DirectoryQuery, 'limit'>): Promise<number> {
  const row = await directoryQuery(db, q)
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow();
  return Number(row.total);
}
