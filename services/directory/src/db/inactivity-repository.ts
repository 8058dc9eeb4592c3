// Inactivity: each mailbox's last reported use, the mailboxes a province's rule may apply to, and
// the reclaim proposals operators decide on.
import { type Kysely, type Selectable, sql } from 'kysely';
import type { DirectoryDatabase, ReclaimProposalsTable, ReclaimState } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

/** Where the inactivity period of a mailbox starts: its last use, else its creation; a restore restarts it. */
const inactiveSince = (table: string) =>
  sql<Date>`GREATEST(COALESCE(${sql.ref(`${table}.last_activity_at`)}, ${sql.ref(`${table}.created_at`)}), ${sql.ref(`${table}.reopened_at`)})`;

/** Keeps the latest use: an older report (out of order, or replayed) never moves it back. */
export async function recordLastActivity(db: Db, mailboxId: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('mailboxes')
    .set({ last_activity_at: at })
    .where('id', '=', mailboxId)
    .where((eb) => eb.or([eb('last_activity_at', 'is', null), eb('last_activity_at', '<', at)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** A restore: the inactivity period starts again, and a reclaimed mailbox is reissued (kept no more). */
export async function markReopened(db: Db, mailboxId: string, at: Date): Promise<void> {
  await db
    .updateTable('mailboxes')
    .set({ reopened_at: at, reclaimed_until: null })
    .where('id', '=', mailboxId)
    .execute();
}

/** A reclaimed mailbox kept (locked) for its holder's reissue until `until`. */
export async function markReclaimedUntil(db: Db, mailboxId: string, until: Date): Promise<void> {
  await db.updateTable('mailboxes').set({ reclaimed_until: until }).where('id', '=', mailboxId).execute();
}

export async function findReclaimedUntil(db: Db, mailboxId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('mailboxes')
    .select('reclaimed_until')
    .where('id', '=', mailboxId)
    .executeTakeFirst();
  return row?.reclaimed_until ? new Date(row.reclaimed_until) : null;
}

/** Reclaimed mailboxes still kept (locked) whose time for a reissue has passed, oldest first. */
export async function findExpiredReclaims(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('mailboxes')
    .select('id')
    .where('reclaimed_until', '<=', now)
    .where('state', '=', 'locked')
    .orderBy('reclaimed_until')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export interface MailboxActivityView {
  lastActivityAt: Date | null;
  reopenedAt: Date | null;
  inactiveSince: Date;
}

export async function findMailboxActivity(
  db: Db,
  mailboxId: string,
  options: { forUpdate?: boolean } = {},
): Promise<MailboxActivityView | null> {
  let q = db
    .selectFrom('mailboxes')
    .select(['last_activity_at', 'reopened_at', inactiveSince('mailboxes').as('inactive_since')])
    .where('id', '=', mailboxId);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) return null;
  return {
    lastActivityAt: row.last_activity_at ? new Date(row.last_activity_at) : null,
    reopenedAt: row.reopened_at ? new Date(row.reopened_at) : null,
    inactiveSince: new Date(row.inactive_since),
  };
}

/**
 * Active personal mailboxes of the province unused since at or before `bound`, oldest first. With
 * `skipDecided`, a mailbox that already has a proposal counted from the same (or a later) start is
 * left out: dismissed means not again until it is used and then unused for a new period.
 */
export async function findInactiveCandidates(
  db: Db,
  q: { province: string; bound: Date; limit: number; skipDecided: boolean; now?: Date },
): Promise<{ id: string; inactiveSince: Date }[]> {
  let query = db
    .selectFrom('mailboxes as m')
    .select(['m.id', inactiveSince('m').as('inactive_since')])
    .where('m.province', '=', q.province)
    .where('m.type', '=', 'personal')
    .where('m.state', '=', 'active')
    .where(sql<boolean>`${inactiveSince('m')} <= ${q.bound}`);
  // a known absence still running holds it back
  if (q.now) {
    const now = q.now;
    query = query.where((eb) => eb.or([eb('m.absent_until', 'is', null), eb('m.absent_until', '<=', now)]));
  }
  if (q.skipDecided) {
    query = query.where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('reclaim_proposals as p')
            .select(sql`1`.as('one'))
            .whereRef('p.mailbox_id', '=', 'm.id')
            .where(sql<boolean>`p.inactive_since >= ${inactiveSince('m')}`),
        ),
      ),
    );
  }
  const rows = await query.orderBy(inactiveSince('m')).orderBy('m.id').limit(q.limit).execute();
  return rows.map((r) => ({ id: r.id, inactiveSince: new Date(r.inactive_since) }));
}

export interface ReclaimProposal {
  id: string;
  mailboxId: string;
  address: string;
  province: string;
  article: string;
  months: number;
  inactiveSince: Date;
  lastActivityAt: Date | null;
  dueAt: Date;
  state: ReclaimState;
  proposedAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  reason: string | null;
}

function toProposal(r: Selectable<ReclaimProposalsTable>): ReclaimProposal {
  return {
    id: r.id,
    mailboxId: r.mailbox_id,
    address: r.address,
    province: r.province,
    article: r.article,
    months: r.months,
    inactiveSince: new Date(r.inactive_since),
    lastActivityAt: r.last_activity_at ? new Date(r.last_activity_at) : null,
    dueAt: new Date(r.due_at),
    state: r.state,
    proposedAt: new Date(r.proposed_at),
    decidedAt: r.decided_at ? new Date(r.decided_at) : null,
    decidedBy: r.decided_by,
    reason: r.reason,
  };
}

/** Inserts the proposal unless the mailbox already has an open one. True when inserted. */
export async function insertReclaimProposalIfNone(
  db: Db,
  p: Omit<ReclaimProposal, 'state' | 'decidedAt' | 'decidedBy' | 'reason'>,
): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO reclaim_proposals (id, mailbox_id, address, province, article, months, inactive_since,
                                   last_activity_at, due_at, state, proposed_at)
    VALUES (${p.id}, ${p.mailboxId}, ${p.address}, ${p.province}, ${p.article}, ${p.months},
            ${p.inactiveSince}, ${p.lastActivityAt}, ${p.dueAt}, 'proposed', ${p.proposedAt})
    ON CONFLICT DO NOTHING
    RETURNING id`.execute(db);
  return rows.length === 1;
}

export async function findReclaimProposal(
  db: Db,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ReclaimProposal | null> {
  let q = db.selectFrom('reclaim_proposals').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toProposal(row) : null;
}

export async function findOpenReclaimProposal(db: Db, mailboxId: string): Promise<ReclaimProposal | null> {
  const row = await db
    .selectFrom('reclaim_proposals')
    .selectAll()
    .where('mailbox_id', '=', mailboxId)
    .where('state', '=', 'proposed')
    .forUpdate()
    .executeTakeFirst();
  return row ? toProposal(row) : null;
}

export async function listReclaimProposals(
  db: Db,
  filter: { state?: ReclaimState | undefined; province?: string | undefined; mailboxId?: string | undefined },
): Promise<ReclaimProposal[]> {
  let q = db.selectFrom('reclaim_proposals').selectAll();
  if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.province) q = q.where('province', '=', filter.province);
  if (filter.mailboxId) q = q.where('mailbox_id', '=', filter.mailboxId);
  const rows = await q.orderBy('proposed_at').orderBy('id').limit(1000).execute();
  return rows.map(toProposal);
}

export async function closeReclaimProposal(
  db: Db,
  id: string,
  change: { state: Exclude<ReclaimState, 'proposed'>; at: Date; by: string; reason: string | null },
): Promise<void> {
  await db
    .updateTable('reclaim_proposals')
    .set({ state: change.state, decided_at: change.at, decided_by: change.by, reason: change.reason })
    .where('id', '=', id)
    .execute();
}

export interface MailboxAbsence {
  until: Date;
  reason: string;
}

export async function findMailboxAbsence(db: Db, mailboxId: string): Promise<MailboxAbsence | null> {
  const row = await db
    .selectFrom('mailboxes')
    .select(['absent_until', 'absence_reason'])
    .where('id', '=', mailboxId)
    .executeTakeFirst();
  return row?.absent_until ? { until: new Date(row.absent_until), reason: row.absence_reason ?? '' } : null;
}

export async function setMailboxAbsence(
  db: Db,
  mailboxId: string,
  absence: MailboxAbsence | null,
): Promise<void> {
  await db
    .updateTable('mailboxes')
    .set({ absent_until: absence?.until ?? null, absence_reason: absence?.reason ?? null })
    .where('id', '=', mailboxId)
    .execute();
}
