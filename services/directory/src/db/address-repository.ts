// Addresses that are not free: live mailboxes, aliases, reserved role addresses and addresses
// retired less than the hold period ago. The chooser asks about its candidates in one query.
import { type Kysely, type Selectable, sql } from 'kysely';
import type { AliasesTable, DirectoryDatabase } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

/** Which of these local parts are taken in the domain at `now`. */
/** The reason recorded for the role addresses seeded for every domain (seed-reserved-addresses.ts). */
export const ROLE_ADDRESS_REASON = 'role address';

export async function findTakenLocalParts(
  db: Db,
  domain: string,
  localParts: readonly string[],
  now: Date,
  options: {
    exceptAgencyId?: string | undefined;
    /**
     * An operator giving a role address (postmaster@, noc@) to a mailbox: role reservations keep
     * such names from people, not from the operators they exist for. Group addresses and
     * addresses an operator reserved stay taken.
     */
    allowRoleAddresses?: boolean;
  } = {},
): Promise<Set<string>> {
  if (localParts.length === 0) return new Set();
  // Agencies' own names (abbreviations) are held for them: no one else gets `stttt@`.
  const except = options.exceptAgencyId ?? '00000000-0000-0000-0000-000000000000';
  const locals = [...new Set(localParts)];
  // A province's addresses are unique across all its domains (primary and alias domains): x@alias
  // is delivered to x@primary, so a local part taken in any of them is taken in all.
  const { rows } = await sql<{ local_part: string }>`
    WITH d AS (
      SELECT ${domain}::text AS domain
      UNION SELECT pd.domain FROM province_domains pd
        WHERE pd.province = (SELECT province FROM province_domains WHERE domain = ${domain}))
    SELECT local_part FROM mailboxes
      WHERE domain IN (SELECT domain FROM d) AND local_part = ANY(${locals}::text[]) AND state <> 'deleted'
    UNION SELECT local_part FROM aliases WHERE domain IN (SELECT domain FROM d) AND local_part = ANY(${locals}::text[])
      AND (expires_at IS NULL OR expires_at > ${now})
    UNION SELECT local_part FROM reserved_addresses WHERE domain = ${domain} AND local_part = ANY(${locals}::text[])
      ${options.allowRoleAddresses ? sql`AND reason <> ${ROLE_ADDRESS_REASON}` : sql``}
    UNION SELECT local_part FROM retired_addresses
      WHERE domain IN (SELECT domain FROM d) AND local_part = ANY(${locals}::text[]) AND hold_until > ${now}
    UNION SELECT abbreviation FROM agencies
      WHERE domain IN (SELECT domain FROM d) AND abbreviation = ANY(${locals}::text[]) AND id <> ${except}::uuid`.execute(
    db,
  );
  return new Set(rows.map((r) => r.local_part));
}

/** Seeds reserved local parts for a domain; existing rows are left alone. */
export async function insertReservedAddresses(
  db: Db,
  domain: string,
  entries: readonly { localPart: string; reason: string }[],
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('reserved_addresses')
    .values(entries.map((e) => ({ domain, local_part: e.localPart, reason: e.reason })))
    .onConflict((oc) => oc.columns(['domain', 'local_part']).doNothing())
    .execute();
}

export async function listReservedAddresses(db: Db, domain?: string) {
  let q = db
    .selectFrom('reserved_addresses')
    .select(['domain', 'local_part', 'reason'])
    .orderBy('domain')
    .orderBy('local_part');
  if (domain) q = q.where('domain', '=', domain);
  return (await q.execute()).map((r) => ({ address: `${r.local_part}@${r.domain}`, reason: r.reason }));
}

export interface RetiredAddressEntry {
  address: string;
  localPart: string;
  domain: string;
  mailboxId: string;
  retiredAt: Date;
  holdUntil: Date;
}

export async function insertRetiredAddress(db: Db, entry: RetiredAddressEntry): Promise<void> {
  await insertRetiredAddresses(db, [entry]);
}

export async function insertRetiredAddresses(db: Db, entries: readonly RetiredAddressEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('retired_addresses')
    .values(
      entries.map((entry) => ({
        address: entry.address,
        local_part: entry.localPart,
        domain: entry.domain,
        mailbox_id: entry.mailboxId,
        retired_at: entry.retiredAt,
        hold_until: entry.holdUntil,
      })),
    )
    .execute();
}

/** Makes `address` an alias of the mailbox (replacing an ended alias row of that address). */
export async function upsertAlias(
  db: Db,
  alias: Pick<AliasRow, 'address' | 'localPart' | 'domain' | 'mailboxId' | 'kind' | 'expiresAt'>,
  at: Date,
): Promise<void> {
  await upsertAliases(db, [alias], at);
}

/** upsertAlias for many addresses in one statement (addresses must be distinct). */
export async function upsertAliases(
  db: Db,
  aliases: readonly Pick<AliasRow, 'address' | 'localPart' | 'domain' | 'mailboxId' | 'kind' | 'expiresAt'>[],
  at: Date,
): Promise<void> {
  if (aliases.length === 0) return;
  await db
    .insertInto('aliases')
    .values(
      aliases.map((alias) => ({
        address: alias.address,
        local_part: alias.localPart,
        domain: alias.domain,
        mailbox_id: alias.mailboxId,
        kind: alias.kind,
        expires_at: alias.expiresAt,
        created_at: at,
      })),
    )
    .onConflict((oc) =>
      oc.column('address').doUpdateSet((eb) => ({
        mailbox_id: eb.ref('excluded.mailbox_id'),
        kind: eb.ref('excluded.kind'),
        expires_at: eb.ref('excluded.expires_at'),
        created_at: eb.ref('excluded.created_at'),
      })),
    )
    .execute();
}

export interface AliasRow {
  id: string;
  address: string;
  localPart: string;
  domain: string;
  mailboxId: string;
  kind: 'alias' | 'transition';
  expiresAt: Date | null;
  generation: number;
  createdAt: Date;
}

function toAlias(r: Selectable<AliasesTable>): AliasRow {
  return {
    id: r.id,
    address: r.address,
    localPart: r.local_part,
    domain: r.domain,
    mailboxId: r.mailbox_id,
    kind: r.kind,
    expiresAt: r.expires_at ? new Date(r.expires_at) : null,
    generation: r.generation,
    createdAt: new Date(r.created_at),
  };
}

export async function findAliasForUpdate(db: Db, address: string): Promise<AliasRow | null> {
  const row = await db
    .selectFrom('aliases')
    .selectAll()
    .where('address', '=', address)
    .forUpdate()
    .executeTakeFirst();
  return row ? toAlias(row) : null;
}

/** Bumps the alias's own generation (its commands are ordered by it); returns the new one. */
export async function bumpAliasGeneration(db: Db, address: string): Promise<number> {
  const row = await db
    .updateTable('aliases')
    .set((eb) => ({ generation: eb('generation', '+', 1) }))
    .where('address', '=', address)
    .returning('generation')
    .executeTakeFirstOrThrow();
  return row.generation;
}

/** Aliases whose end has passed, oldest first. */
export async function findExpiredAliasAddresses(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('aliases')
    .select('address')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.address);
}

export async function deleteAlias(db: Db, address: string): Promise<void> {
  await db.deleteFrom('aliases').where('address', '=', address).execute();
}

export async function listAliases(
  db: Db,
  filter: { mailboxId?: string | undefined; domain?: string | undefined },
  now: Date,
): Promise<AliasRow[]> {
  let q = db
    .selectFrom('aliases')
    .selectAll()
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('address');
  if (filter.mailboxId) q = q.where('mailbox_id', '=', filter.mailboxId);
  if (filter.domain) q = q.where('domain', '=', filter.domain);
  return (await q.execute()).map(toAlias);
}

export async function listRetiredAddresses(db: Db, filter: { domain?: string | undefined }, now: Date) {
  let q = db
    .selectFrom('retired_addresses')
    .select(['address', 'retired_at', 'hold_until'])
    .where('hold_until', '>', now)
    .orderBy('hold_until', 'desc')
    .limit(1000);
  if (filter.domain) q = q.where('domain', '=', filter.domain);
  return (await q.execute()).map((r) => ({
    address: r.address,
    retiredAt: new Date(r.retired_at).toISOString(),
    holdUntil: new Date(r.hold_until).toISOString(),
  }));
}
