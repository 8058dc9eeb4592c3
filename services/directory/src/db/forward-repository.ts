// A mailbox's forward (mailboxes.forward_to): where its mail goes too, a copy kept in the mailbox.
import { type Kysely, sql } from 'kysely';
import type { DirectoryDatabase } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

/** The forwards of these mailboxes: mailboxes without one are absent. */
export async function findForwardsOf(db: Db, mailboxIds: readonly string[]): Promise<Map<string, string>> {
  if (mailboxIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('mailboxes')
    .select(['id', 'forward_to'])
    .where('id', 'in', [...new Set(mailboxIds)])
    .where('forward_to', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.id, r.forward_to as string]));
}

/**
 * Sets (or with null ends) the mailbox's forward, under its next generation (the target of the
 * set_alias / remove_alias command issued with it) unless `bumpGeneration` is false (a delete's
 * own command ends it on the mail server); answers what the command needs.
 */
export async function setForward(
  db: Db,
  mailboxId: string,
  forwardTo: string | null,
  at: Date,
  options: { bumpGeneration: boolean } = { bumpGeneration: true },
): Promise<{ generation: number; address: string; domain: string }> {
  return db
    .updateTable('mailboxes')
    .set((eb) => ({
      forward_to: forwardTo,
      ...(options.bumpGeneration ? { generation: eb('generation', '+', 1) } : {}),
      updated_at: at,
    }))
    .where('id', '=', mailboxId)
    .returning(['generation', 'address', 'domain'])
    .executeTakeFirstOrThrow();
}

/**
 * The live mailboxes that forward to one of these addresses, locked for update (their forward is
 * about to be rewritten), with the address each forwards to.
 */
export async function findForwardersTo(
  db: Db,
  addresses: readonly string[],
): Promise<{ id: string; forwardTo: string }[]> {
  if (addresses.length === 0) return [];
  const rows = await db
    .selectFrom('mailboxes')
    .select(['id', 'forward_to'])
    .where('forward_to', 'in', [...new Set(addresses.map((a) => a.toLowerCase()))])
    .where('state', '<>', 'deleted')
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => ({ id: r.id, forwardTo: r.forward_to as string }));
}

/**
 * Whether mail to `address` still reaches someone the directory knows: `outside` when its domain
 * is none of the directory's (no province's domain, no mailbox in it); else `active` when an
 * active mailbox, a live alias of an active mailbox or an active group holds it (x@alias-domain
 * counts at x@primary, as the mail server rewrites it), `inactive` otherwise. `movedTo`: the
 * active mailbox's own address when `address` is only its transition alias (its old address after
 * a change), which a forward follows (retarget-forwards.ts).
 */
export async function addressStanding(
  db: Db,
  address: string,
  at: Date,
): Promise<{ standing: 'outside' | 'active' | 'inactive'; movedTo: string | null }> {
  const sign = address.lastIndexOf('@');
  const localPart = address.slice(0, sign).toLowerCase();
  const domain = address.slice(sign + 1).toLowerCase();
  const { rows } = await sql<{ managed: boolean; delivered: boolean; moved_to: string | null }>`
    WITH own AS (SELECT province FROM province_domains WHERE domain = ${domain}),
    d AS (
      SELECT ${domain}::text AS domain
      UNION SELECT pd.domain FROM province_domains pd
        WHERE pd.kind = 'primary' AND pd.province IN (SELECT province FROM own)),
    mailbox AS (
      SELECT 1 FROM mailboxes
        WHERE domain IN (SELECT domain FROM d) AND local_part = ${localPart} AND state = 'active'),
    alias AS (
      SELECT a.kind, m.address FROM aliases a JOIN mailboxes m ON m.id = a.mailbox_id
        WHERE a.domain IN (SELECT domain FROM d) AND a.local_part = ${localPart}
          AND (a.expires_at IS NULL OR a.expires_at > ${at}) AND m.state = 'active'),
    mail_group AS (
      SELECT 1 FROM mail_groups
        WHERE domain IN (SELECT domain FROM d) AND local_part = ${localPart} AND state = 'active')
    SELECT (EXISTS (SELECT 1 FROM own) OR EXISTS (SELECT 1 FROM mailboxes WHERE domain = ${domain})) AS managed,
      (EXISTS (SELECT 1 FROM mailbox) OR EXISTS (SELECT 1 FROM alias) OR EXISTS (SELECT 1 FROM mail_group)) AS delivered,
      CASE WHEN NOT EXISTS (SELECT 1 FROM mailbox) AND NOT EXISTS (SELECT 1 FROM mail_group)
           THEN (SELECT address FROM alias WHERE kind = 'transition' LIMIT 1) END AS moved_to`.execute(db);
  const row = rows[0];
  if (!row?.managed) return { standing: 'outside', movedTo: null };
  return { standing: row.delivered ? 'active' : 'inactive', movedTo: row.moved_to };
}
