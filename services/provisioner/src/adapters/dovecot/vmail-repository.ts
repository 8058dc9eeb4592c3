// The vmail tables Dovecot and Postfix read (see infra/mail/vmail-schema.sql): the only SQL the
// Dovecot adapter runs. Callers hold a transaction and lock the mailbox row before changing it.
import { type Kysely, sql } from 'kysely';
import { openReadCursors } from '../../db/read-cursors.ts';

// biome-ignore lint/suspicious/noExplicitAny: vmail is typed by the queries below, not by Kysely tables
export type VmailDb = Record<string, any>;
export type Vmail = Kysely<VmailDb>;

export interface VmailMailbox {
  username: string;
  domain: string;
  password: string;
  quotaBytes: number;
  active: boolean;
  maildir: string;
  generation: number;
}

interface MailboxRow {
  username: string;
  domain: string;
  password: string;
  quota_bytes: string | number;
  active: boolean;
  maildir: string;
  generation: string | number;
}

const toMailbox = (r: MailboxRow): VmailMailbox => ({
  username: r.username,
  domain: r.domain,
  password: r.password,
  quotaBytes: Number(r.quota_bytes),
  active: r.active,
  maildir: r.maildir,
  generation: Number(r.generation),
});

export async function findVmailMailbox(
  db: Vmail,
  username: string,
  options: { forUpdate?: boolean } = {},
): Promise<VmailMailbox | null> {
  const lock = options.forUpdate ? sql`FOR UPDATE` : sql``;
  const { rows } = await sql<MailboxRow>`
    SELECT username, domain, password, quota_bytes, active, maildir, generation
      FROM mailbox WHERE username = ${username} ${lock}`.execute(db);
  return rows[0] ? toMailbox(rows[0]) : null;
}

export async function ensureVmailDomain(db: Vmail, domain: string): Promise<void> {
  await ensureVmailDomains(db, [domain]);
}

export async function ensureVmailDomains(db: Vmail, domains: readonly string[]): Promise<void> {
  if (domains.length === 0) return;
  await sql`INSERT INTO domain (domain) SELECT unnest(${[...new Set(domains)]}::text[]) ON CONFLICT DO NOTHING`.execute(
    db,
  );
}

/**
 * Inserts the mailbox, or overwrites it only when this generation is newer. True if written.
 * `passwordChangeRequired`: Dovecot refuses logins (nologin, naming the self-service page) until
 * the holder changes this issued password.
 */
export async function upsertVmailMailbox(
  db: Vmail,
  m: Omit<VmailMailbox, 'active'> & { passwordChangeRequired?: boolean | undefined },
): Promise<boolean> {
  const mustChange = m.passwordChangeRequired ?? false;
  const r = await sql`
    INSERT INTO mailbox (username, domain, password, quota_bytes, active, maildir, generation, password_change_required)
    VALUES (${m.username}, ${m.domain}, ${m.password}, ${m.quotaBytes}, true, ${m.maildir}, ${m.generation}, ${mustChange})
    ON CONFLICT (username) DO UPDATE
       SET password = EXCLUDED.password, quota_bytes = EXCLUDED.quota_bytes, active = true,
           maildir = EXCLUDED.maildir, generation = EXCLUDED.generation,
           password_change_required = EXCLUDED.password_change_required, modified_at = now()
     WHERE mailbox.generation < EXCLUDED.generation`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/**
 * upsertVmailMailbox for many mailboxes in one statement (an import's bulk): each row inserted, or
 * overwritten only when its generation is newer. Answers the usernames written. Usernames must be
 * distinct (one statement cannot change a row twice).
 */
export async function upsertVmailMailboxes(
  db: Vmail,
  rows: readonly (Omit<VmailMailbox, 'active'> & { passwordChangeRequired?: boolean | undefined })[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const values = rows.map(
    (m) =>
      sql`(${m.username}, ${m.domain}, ${m.password}, ${m.quotaBytes}::bigint, true, ${m.maildir}, ${m.generation}::bigint, ${m.passwordChangeRequired ?? false}::boolean)`,
  );
  const { rows: written } = await sql<{ username: string }>`
    INSERT INTO mailbox (username, domain, password, quota_bytes, active, maildir, generation, password_change_required)
    VALUES ${sql.join(values)}
    ON CONFLICT (username) DO UPDATE
       SET password = EXCLUDED.password, quota_bytes = EXCLUDED.quota_bytes, active = true,
           maildir = EXCLUDED.maildir, generation = EXCLUDED.generation,
           password_change_required = EXCLUDED.password_change_required, modified_at = now()
     WHERE mailbox.generation < EXCLUDED.generation
    RETURNING username`.execute(db);
  return new Set(written.map((r) => r.username));
}

/** The stored generation of each of these mailboxes that exists. */
export async function findVmailGenerations(
  db: Vmail,
  usernames: readonly string[],
): Promise<Map<string, number>> {
  if (usernames.length === 0) return new Map();
  const { rows } = await sql<{ username: string; generation: string | number }>`
    SELECT username, generation FROM mailbox WHERE username = ANY(${usernames as string[]}::text[])`.execute(
    db,
  );
  return new Map(rows.map((r) => [r.username, Number(r.generation)]));
}

export async function updateVmailMailbox(
  db: Vmail,
  username: string,
  change: {
    generation: number;
    password?: string;
    quotaBytes?: number;
    active?: boolean;
    /** Only with a password: whether the holder must change it first; a new password without it clears it. */
    passwordChangeRequired?: boolean;
  },
): Promise<void> {
  const mustChange = change.password === undefined ? null : (change.passwordChangeRequired ?? false);
  await sql`
    UPDATE mailbox
       SET generation = ${change.generation},
           password = COALESCE(${change.password ?? null}::text, password),
           password_change_required = COALESCE(${mustChange}::boolean, password_change_required),
           quota_bytes = COALESCE(${change.quotaBytes ?? null}::bigint, quota_bytes),
           active = COALESCE(${change.active ?? null}::boolean, active),
           modified_at = now()
     WHERE username = ${username}`.execute(db);
}

/** Removes the mailbox, its last-login and last-delivery rows and the aliases that forward to it. */
export async function deleteVmailMailbox(db: Vmail, username: string): Promise<void> {
  await sql`DELETE FROM alias WHERE goto = ${username}`.execute(db);
  await sql`DELETE FROM last_login WHERE username = ${username}`.execute(db);
  await sql`DELETE FROM last_delivery WHERE username = ${username}`.execute(db);
  await sql`DELETE FROM mailbox WHERE username = ${username}`.execute(db);
}

export async function renameVmailMailbox(
  db: Vmail,
  from: string,
  to: { username: string; domain: string; maildir: string; generation: number },
): Promise<void> {
  await sql`
    UPDATE mailbox
       SET username = ${to.username}, domain = ${to.domain}, maildir = ${to.maildir},
           generation = ${to.generation}, modified_at = now()
     WHERE username = ${from}`.execute(db);
  // No mailbox holds the new address (the update above would have failed), so activity rows under
  // it are an earlier holder's: Dovecot's last_login dict writes asynchronously and can stamp an
  // address after the rename or delete that took its rows. They would refuse this move (and are
  // no activity of this mailbox), so they go first.
  await sql`DELETE FROM last_login WHERE username = ${to.username}`.execute(db);
  await sql`DELETE FROM last_delivery WHERE username = ${to.username}`.execute(db);
  await sql`UPDATE last_login SET username = ${to.username} WHERE username = ${from}`.execute(db);
  await sql`UPDATE last_delivery SET username = ${to.username} WHERE username = ${from}`.execute(db);
  // aliases that forwarded to the old address now forward to the new one
  await sql`UPDATE alias SET goto = ${to.username} WHERE goto = ${from}`.execute(db);
  // an old transition alias on the new address would take its mail away from the mailbox
  await sql`DELETE FROM alias WHERE address = ${to.username}`.execute(db);
}

/**
 * A mailbox's own forward row (set_forward: its goto lists the address itself) goes to the new
 * address with it, the address replaced in its targets; call after renameVmailMailbox and before
 * the old address becomes the transition alias.
 */
export async function moveVmailForward(
  db: Vmail,
  from: string,
  to: { username: string; domain: string },
): Promise<void> {
  await sql`
    INSERT INTO alias (address, goto, domain, active, expires_at, generation)
    SELECT ${to.username},
           array_to_string(array_replace(string_to_array(goto, ','), ${from}, ${to.username}), ','),
           ${to.domain}, active, expires_at, generation
      FROM alias WHERE address = ${from} AND ${from} = ANY(string_to_array(goto, ','))
    ON CONFLICT (address) DO NOTHING`.execute(db);
}

/** A deleted mailbox's own forward row goes with it (otherwise mail to it would still be forwarded). */
export async function deleteVmailForward(db: Vmail, address: string): Promise<void> {
  await sql`DELETE FROM alias WHERE address = ${address} AND ${address} = ANY(string_to_array(goto, ','))`.execute(
    db,
  );
}

export async function upsertVmailAlias(
  db: Vmail,
  alias: { address: string; goto: string; domain: string; expiresAt: Date | null },
): Promise<void> {
  await sql`
    INSERT INTO alias (address, goto, domain, active, expires_at)
    VALUES (${alias.address}, ${alias.goto}, ${alias.domain}, true, ${alias.expiresAt})
    ON CONFLICT (address) DO UPDATE
       SET goto = EXCLUDED.goto, domain = EXCLUDED.domain, active = true, expires_at = EXCLUDED.expires_at`.execute(
    db,
  );
}

export async function findVmailAlias(
  db: Vmail,
  address: string,
): Promise<{ address: string; goto: string; expiresAt: Date | null } | null> {
  const { rows } = await sql<{ address: string; goto: string; expires_at: Date | null }>`
    SELECT address, goto, expires_at FROM alias WHERE address = ${address}`.execute(db);
  return rows[0] ? { address: rows[0].address, goto: rows[0].goto, expiresAt: rows[0].expires_at } : null;
}

export interface VmailAlias {
  address: string;
  targets: string[];
  domain: string | null;
  allowedSenders: string[] | null;
  expiresAt: Date | null;
  generation: number;
}

interface AliasRow {
  address: string;
  goto: string;
  domain: string | null;
  expires_at: Date | null;
  generation: string | number;
  senders_restricted: boolean;
}

const toAlias = (row: AliasRow, allowedSenders: string[] | null): VmailAlias => ({
  address: row.address,
  targets: row.goto
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean),
  domain: row.domain,
  allowedSenders,
  expiresAt: row.expires_at,
  generation: Number(row.generation),
});

/** An alias or group row with its allowed senders (null when anyone may send). */
export async function findVmailAliasEntry(
  db: Vmail,
  address: string,
  options: { forUpdate?: boolean } = {},
): Promise<VmailAlias | null> {
  const lock = options.forUpdate ? sql`FOR UPDATE` : sql``;
  const { rows } = await sql<AliasRow>`
    SELECT address, goto, domain, expires_at, generation, senders_restricted
      FROM alias WHERE address = ${address} ${lock}`.execute(db);
  const row = rows[0];
  if (!row) return null;
  let allowedSenders: string[] | null = null;
  if (row.senders_restricted) {
    const senders = await sql<{ sender: string }>`
      SELECT sender FROM group_sender WHERE group_address = ${address} ORDER BY sender`.execute(db);
    allowedSenders = senders.rows.map((r) => r.sender);
  }
  return toAlias(row, allowedSenders);
}

/** Forces an alias to forward to `targets`, live, unrestricted; the generation only ever grows. */
export async function forceVmailAlias(
  db: Vmail,
  a: { address: string; domain: string; targets: string[]; generation: number },
): Promise<void> {
  await sql`
    INSERT INTO alias (address, goto, domain, active, expires_at, generation, senders_restricted)
    VALUES (${a.address}, ${a.targets.join(',')}, ${a.domain}, true, NULL, ${a.generation}, false)
    ON CONFLICT (address) DO UPDATE
       SET goto = EXCLUDED.goto, domain = EXCLUDED.domain, active = true, expires_at = NULL,
           senders_restricted = false, generation = GREATEST(alias.generation, EXCLUDED.generation)`.execute(
    db,
  );
  await sql`DELETE FROM group_sender WHERE group_address = ${a.address}`.execute(db);
}

/** Writes an alias or group (goto = the targets, comma-separated) and replaces its allowed senders. */
export async function writeVmailAliasEntry(db: Vmail, a: Omit<VmailAlias, 'domain'> & { domain: string }) {
  await sql`
    INSERT INTO alias (address, goto, domain, active, expires_at, generation, senders_restricted)
    VALUES (${a.address}, ${a.targets.join(',')}, ${a.domain}, true, ${a.expiresAt}, ${a.generation},
            ${a.allowedSenders !== null})
    ON CONFLICT (address) DO UPDATE
       SET goto = EXCLUDED.goto, domain = EXCLUDED.domain, active = true, expires_at = EXCLUDED.expires_at,
           generation = EXCLUDED.generation, senders_restricted = EXCLUDED.senders_restricted`.execute(db);
  await sql`DELETE FROM group_sender WHERE group_address = ${a.address}`.execute(db);
  for (const sender of a.allowedSenders ?? []) {
    await sql`INSERT INTO group_sender (group_address, sender) VALUES (${a.address}, ${sender})
              ON CONFLICT DO NOTHING`.execute(db);
  }
}

/** Removes an alias or group (its allowed senders go with it: ON DELETE CASCADE). */
export async function deleteVmailAliasEntry(db: Vmail, address: string): Promise<void> {
  await sql`DELETE FROM alias WHERE address = ${address}`.execute(db);
}

/** The mailboxes and the active aliases of some domains, read a page at a time from one snapshot. */
export interface VmailScan {
  /** In byte order of the username (COLLATE "C": the order the drift check's merge needs on both databases). */
  mailboxes(limit: number): Promise<VmailMailbox[]>;
  /** Aliases and groups by their own address, in byte order, with their allowed senders. */
  aliases(limit: number): Promise<VmailAlias[]>;
  /** findVmailAliasEntry in the scan's transaction. */
  alias(address: string): Promise<VmailAlias | null>;
  close(): Promise<void>;
}

export async function openVmailScan(db: Vmail, domains: readonly string[]): Promise<VmailScan> {
  const cursors = await openReadCursors(db, {
    drift_mailboxes: sql`
      SELECT username, domain, password, quota_bytes, active, maildir, generation
        FROM mailbox WHERE domain = ANY(${[...domains]}::text[]) ORDER BY username COLLATE "C"`,
    drift_aliases: sql`
      SELECT address, goto, domain, expires_at, generation, senders_restricted
        FROM alias WHERE domain = ANY(${[...domains]}::text[]) AND active ORDER BY address COLLATE "C"`,
  });
  return {
    mailboxes: async (limit) => (await cursors.fetch<MailboxRow>('drift_mailboxes', limit)).map(toMailbox),
    async aliases(limit) {
      const rows = await cursors.fetch<AliasRow>('drift_aliases', limit);
      const restricted = rows.filter((r) => r.senders_restricted).map((r) => r.address);
      const byGroup = new Map<string, string[]>();
      if (restricted.length > 0) {
        // in the cursors' transaction (the pool's other connections may all be busy)
        const { rows: senders } = await cursors.within((trx) =>
          sql<{ group_address: string; sender: string }>`
            SELECT group_address, sender FROM group_sender WHERE group_address = ANY(${restricted}::text[])
             ORDER BY sender`.execute(trx),
        );
        for (const s of senders)
          byGroup.set(s.group_address, [...(byGroup.get(s.group_address) ?? []), s.sender]);
      }
      return rows.map((r) => toAlias(r, r.senders_restricted ? (byGroup.get(r.address) ?? []) : null));
    },
    alias: (address) => cursors.within((trx) => findVmailAliasEntry(trx, address)),
    close: cursors.close,
  };
}

/**
 * Mailboxes with a last login, send or delivery: last_login and last_received are mirrored by
 * triggers from Dovecot's last_login dict (IMAP and LMTP), last_sent is stamped by Postfix's
 * submission (pgsql/sasl_sent.cf).
 */
export async function listVmailLastLogins(
  db: Vmail,
  filter: { domain?: string | undefined },
): Promise<{ username: string; lastLogin: Date | null; lastSent: Date | null; lastReceived: Date | null }[]> {
  const domain = filter.domain ? sql`AND domain = ${filter.domain}` : sql``;
  const { rows } = await sql<{
    username: string;
    last_login: Date | null;
    last_sent: Date | null;
    last_received: Date | null;
  }>`
    SELECT username, last_login, last_sent, last_received FROM mailbox
     WHERE (last_login IS NOT NULL OR last_sent IS NOT NULL OR last_received IS NOT NULL) ${domain}
     ORDER BY username`.execute(db);
  const at = (d: Date | null) => (d ? new Date(d) : null);
  return rows.map((r) => ({
    username: r.username,
    lastLogin: at(r.last_login),
    lastSent: at(r.last_sent),
    lastReceived: at(r.last_received),
  }));
}

/** Sets active and quota regardless of generation; the generation only ever grows. */
export async function forceVmailMailboxState(
  db: Vmail,
  username: string,
  state: { active: boolean; quotaBytes: number; generation: number },
): Promise<void> {
  await sql`
    UPDATE mailbox
       SET active = ${state.active}, quota_bytes = ${state.quotaBytes},
           generation = GREATEST(generation, ${state.generation}), modified_at = now()
     WHERE username = ${username}`.execute(db);
}

/** An alias domain row (vmail `alias_domain`): mail to x@aliasDomain goes to x@targetDomain. */
export interface VmailAliasDomain {
  aliasDomain: string;
  targetDomain: string;
  generation: number;
}

export async function findVmailAliasDomain(
  db: Vmail,
  aliasDomain: string,
  options: { forUpdate?: boolean } = {},
): Promise<VmailAliasDomain | null> {
  const lock = options.forUpdate ? sql`FOR UPDATE` : sql``;
  const { rows } = await sql<{ alias_domain: string; target_domain: string; generation: string | number }>`
    SELECT alias_domain, target_domain, generation FROM alias_domain WHERE alias_domain = ${aliasDomain} ${lock}`.execute(
    db,
  );
  const r = rows[0];
  return r
    ? { aliasDomain: r.alias_domain, targetDomain: r.target_domain, generation: Number(r.generation) }
    : null;
}

export async function writeVmailAliasDomain(db: Vmail, d: VmailAliasDomain): Promise<void> {
  await sql`
    INSERT INTO alias_domain (alias_domain, target_domain, active, generation)
    VALUES (${d.aliasDomain}, ${d.targetDomain}, true, ${d.generation})
    ON CONFLICT (alias_domain) DO UPDATE
      SET target_domain = EXCLUDED.target_domain, active = true, generation = EXCLUDED.generation`.execute(
    db,
  );
}

export async function deleteVmailAliasDomain(db: Vmail, aliasDomain: string): Promise<void> {
  await sql`DELETE FROM alias_domain WHERE alias_domain = ${aliasDomain}`.execute(db);
}
