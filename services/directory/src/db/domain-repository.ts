// A province's domains (province_domains: one primary, alias domains) and their history. Every
// other table keeps its own `domain` column; "the province's domains" is this table.
import type { Kysely } from 'kysely';
import type { DirectoryDatabase } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

export interface ProvinceDomain {
  id: string;
  province: string;
  domain: string;
  kind: 'primary' | 'alias';
  generation: number;
  addedAt: Date;
  addedBy: string;
  reason: string | null;
}

const toDomain = (r: {
  id: string;
  province: string;
  domain: string;
  kind: 'primary' | 'alias';
  generation: number;
  added_at: Date | string;
  added_by: string;
  reason: string | null;
}): ProvinceDomain => ({
  id: r.id,
  province: r.province,
  domain: r.domain,
  kind: r.kind,
  generation: r.generation,
  addedAt: new Date(r.added_at),
  addedBy: r.added_by,
  reason: r.reason,
});

/** Domains of one province (or all), primary first then alias domains by name. */
export async function listDomainRows(db: Db, province?: string): Promise<ProvinceDomain[]> {
  let q = db
    .selectFrom('province_domains')
    .selectAll()
    .orderBy('province')
    .orderBy('kind desc')
    .orderBy('domain');
  if (province !== undefined) q = q.where('province', '=', province);
  return (await q.execute()).map(toDomain);
}

export async function findDomainRow(
  db: Db,
  domain: string,
  options: { forUpdate?: boolean } = {},
): Promise<ProvinceDomain | null> {
  let q = db.selectFrom('province_domains').selectAll().where('domain', '=', domain);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toDomain(row) : null;
}

/** Inserts the domain unless it is someone's already; true when this call inserted it. */
export async function insertDomainIfNew(db: Db, d: Omit<ProvinceDomain, 'addedAt'> & { addedAt: Date }) {
  const result = await db
    .insertInto('province_domains')
    .values({
      id: d.id,
      province: d.province,
      domain: d.domain,
      kind: d.kind,
      generation: d.generation,
      added_at: d.addedAt,
      added_by: d.addedBy,
      reason: d.reason,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Moves a domain to another province as an alias domain (a merger of provinces), generation + 1. */
export async function makeAliasDomainOf(db: Db, domain: string, province: string, reason: string | null) {
  const row = await db
    .updateTable('province_domains')
    .set((eb) => ({ province, kind: 'alias', reason, generation: eb('generation', '+', 1) }))
    .where('domain', '=', domain)
    .returningAll()
    .executeTakeFirst();
  return row ? toDomain(row) : null;
}

export async function deleteDomainRow(db: Db, domain: string): Promise<void> {
  await db.deleteFrom('province_domains').where('domain', '=', domain).execute();
}

export async function insertDomainHistory(
  db: Db,
  entry: { province: string; domain: string; change: string; at: Date; actor: string; reason: string | null },
): Promise<string> {
  const { province, domain, change, at, actor, reason } = entry;
  const row = await db
    .insertInto('province_domain_history')
    .values({ province, domain, change, at, actor, reason })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

export async function listDomainHistory(db: Db, province: string) {
  const rows = await db
    .selectFrom('province_domain_history')
    .selectAll()
    .where('province', '=', province)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    domain: r.domain,
    change: r.change,
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    reason: r.reason,
  }));
}

/** The latest history id of the province: the generation of its published domain state. */
export async function latestDomainHistoryId(db: Db, province: string): Promise<number> {
  const row = await db
    .selectFrom('province_domain_history')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('province', '=', province)
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Live local parts of these domains that are also taken in any of `others` (uniqueness across a province). */
export async function findCrossDomainClashes(
  db: Db,
  domain: string,
  others: readonly string[],
): Promise<string[]> {
  if (others.length === 0) return [];
  const rows = await db
    .selectFrom('mailboxes as a')
    .innerJoin('mailboxes as b', 'a.local_part', 'b.local_part')
    .select('a.address')
    .where('a.domain', '=', domain)
    .where('a.state', '<>', 'deleted')
    .where('b.domain', 'in', [...others])
    .where('b.state', '<>', 'deleted')
    .orderBy('a.address')
    .limit(50)
    .execute();
  return rows.map((r) => r.address);
}
