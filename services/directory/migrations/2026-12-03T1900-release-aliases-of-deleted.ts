// The aliases of mailboxes deleted before a delete released them (commit 2c24c68) still name the
// deleted mailbox and hold their addresses, although the mail server's delete dropped their rows
// long ago. Released here the way a delete now releases them (aliases-of-deleted.ts's
// releaseAliasesOfDeleted, from set-mailbox-state.ts): each live alias (no end, or an end still to
// come) leaves the directory; an operator alias (`kind` alias) is held back from reissue from the
// delete, until the hold of the mailbox's own address (the same province rule from the same
// moment; the directory's default 365 days if that hold is not there); a transition alias's old
// address is held already, from its rename. The delete's history row (the newest whose `to` is
// deleted, as a restore reads it) gets them in `aliases` (address, kind, expiresAt), so a restore
// brings them back where still free; a deleted mailbox with no such row gets a history row
// `aliases_released` instead. Idempotent: a released alias's row is gone, so a second run finds
// nothing. Frozen: change by adding a migration.
import { type Kysely, sql } from 'kysely';

const BY = 'migration 2026-12-03T1900-release-aliases-of-deleted';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS released_aliases`.execute(db);
  await sql`
    CREATE TEMP TABLE released_aliases AS
    SELECT a.address, a.local_part, a.domain, a.mailbox_id, a.kind, a.expires_at,
           d.id AS history_id,
           COALESCE(d.at, m.updated_at) AS deleted_at,
           COALESCE(h.hold_until, COALESCE(d.at, m.updated_at) + interval '365 days') AS hold_until
    FROM aliases a
    JOIN mailboxes m ON m.id = a.mailbox_id AND m.state = 'deleted'
    LEFT JOIN LATERAL (
      SELECT id, at FROM mailbox_history
      WHERE mailbox_id = m.id AND details->>'to' = 'deleted' AND change <> 'restore_undone'
      ORDER BY at DESC, id DESC LIMIT 1
    ) d ON true
    LEFT JOIN LATERAL (
      SELECT hold_until FROM retired_addresses r
      WHERE r.mailbox_id = m.id AND r.address = m.address
      ORDER BY retired_at DESC LIMIT 1
    ) h ON true
    WHERE a.expires_at IS NULL OR a.expires_at > now()`.execute(db);
  await sql`
    INSERT INTO retired_addresses (address, local_part, domain, mailbox_id, retired_at, hold_until)
    SELECT address, local_part, domain, mailbox_id, deleted_at, hold_until
    FROM released_aliases WHERE kind = 'alias'`.execute(db);
  const listed = sql`jsonb_agg(jsonb_build_object(
      'address', address,
      'kind', kind,
      'expiresAt', to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    ) ORDER BY address)`;
  await sql`
    UPDATE mailbox_history h
    SET details = h.details || jsonb_build_object(
      'aliases', COALESCE(h.details->'aliases', '[]'::jsonb) || r.aliases,
      'aliasesReleasedBy', ${BY}::text)
    FROM (SELECT history_id, ${listed} AS aliases FROM released_aliases
          WHERE history_id IS NOT NULL GROUP BY history_id) r
    WHERE h.id = r.history_id`.execute(db);
  await sql`
    INSERT INTO mailbox_history (mailbox_id, at, change, actor, details)
    SELECT mailbox_id, now(), 'aliases_released', 'directory',
           jsonb_build_object('aliases', ${listed}, 'aliasesReleasedBy', ${BY}::text)
    FROM released_aliases WHERE history_id IS NULL GROUP BY mailbox_id`.execute(db);
  await sql`DELETE FROM aliases WHERE address IN (SELECT address FROM released_aliases)`.execute(db);
  await sql`DROP TABLE released_aliases`.execute(db);
}

/** The released aliases are not put back: their holds and history say what they were. */
export async function down(_db: Kysely<unknown>): Promise<void> {}
