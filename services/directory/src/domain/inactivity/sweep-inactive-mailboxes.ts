// The inactivity sweep (regulations §6), run daily and on POST /admin/inactivity/sweep: for each
// province with a rule, active personal mailboxes unused for its period (since the last use the
// provisioner reported, else since creation; a restore starts the period again) are
//   - locked (`lock`, Bắc Ninh Điều 4 khoản 2 điểm c): state `locked`, a `suspend` command (logins
//     refused, mail kept), history `locked_inactive`, the state published; only a restore request
//     opens it again;
//   - proposed for reclaiming (`reclaim`, Đắk Nông Điều 7 khoản 3, Kiên Giang Điều 5 khoản 4): a
//     row operators approve (the delete goes out then; Kiên Giang's is locked and kept for a
//     reissue) or dismiss; never reclaimed automatically.
// Then a reclaimed mailbox kept for a reissue whose time has passed (`reclaimed_until`, unless a
// restore reissued it) is deleted: history `reclaim_expired`, the delete command, the address retired.
// Each mailbox is decided in its own transaction, re-read under a row lock, so a request or a
// login reported in between wins.
import { inactivityQueryBound, judgeInactivity, listPolicies, type ProvincePolicy } from '@hopthu/naming';
import { insertHistory } from '../../db/history-repository.ts';
import {
  findExpiredReclaims,
  findInactiveCandidates,
  findMailboxAbsence,
  findMailboxActivity,
  findReclaimedUntil,
  insertReclaimProposalIfNone,
} from '../../db/inactivity-repository.ts';
import { isHeldByAbsence } from './absence.ts';
import { isReclaimExpired } from './reclaim-outcome.ts';
import { findMailboxById } from '../../db/mailbox-repository.ts';
import type { ChangeContext, ChangeDeps, DirectoryDeps } from '../deps.ts';
import { setMailboxState } from '../mailboxes/set-mailbox-state.ts';

export const SWEEP_ACTOR = 'inactivity-sweep';
const BATCH = 100;

export interface SweepOutcome {
  locked: { mailboxId: string; address: string }[];
  proposed: { mailboxId: string; address: string; proposalId: string }[];
  /** Reclaimed mailboxes kept for a reissue whose time passed: now deleted. */
  expired: { mailboxId: string; address: string }[];
}

export async function sweepInactiveMailboxes(
  deps: DirectoryDeps,
  options: { province?: string | undefined } = {},
): Promise<SweepOutcome> {
  const out: SweepOutcome = { locked: [], proposed: [], expired: [] };
  const now = deps.clock.now();
  for (const policy of listPolicies()) {
    const rule = policy.inactivity;
    if (!rule || (options.province && options.province !== policy.id)) continue;
    // Batches until one acts on nothing: what was acted on leaves the candidates (locked, or
    // proposed), so the next batch is new mailboxes; the oldest come first.
    for (let acted = BATCH; acted > 0; ) {
      acted = 0;
      const candidates = await findInactiveCandidates(deps.db, {
        province: policy.id,
        bound: inactivityQueryBound(rule, now),
        limit: BATCH,
        skipDecided: rule.action === 'reclaim',
        now,
      });
      for (const candidate of candidates) {
        if (!judgeInactivity(policy, candidate.inactiveSince, now)) continue;
        const done = await deps.db
          .transaction()
          .execute((trx) => applyRule(trx, deps, policy, candidate.id, now));
        if (done?.kind === 'locked') out.locked.push(done.entry);
        if (done?.kind === 'proposed') out.proposed.push(done.entry);
        if (done) acted++;
      }
      if (candidates.length < BATCH) break;
    }
  }
  for (let more = true; more; ) {
    const due = await findExpiredReclaims(deps.db, now, BATCH);
    more = due.length === BATCH;
    for (const mailboxId of due) {
      const done = await deps.db.transaction().execute((trx) => expireReclaim(trx, deps, mailboxId, now));
      if (done) out.expired.push(done);
      else more = false; // changed in between: do not loop on it
    }
  }
  for (const l of out.locked)
    deps.logger.info({ ...l, rule: 'lock' }, 'mailbox locked: unused past its period');
  for (const e of out.expired)
    deps.logger.info(e, 'reclaimed mailbox deleted: its time for a reissue passed');
  for (const p of out.proposed)
    deps.logger.info({ ...p, rule: 'reclaim' }, 'reclaim proposed: mailbox unused past its period');
  return out;
}

type Applied =
  | { kind: 'locked'; entry: SweepOutcome['locked'][number] }
  | { kind: 'proposed'; entry: SweepOutcome['proposed'][number] }
  | null;

async function applyRule(
  trx: DirectoryDeps['db'],
  deps: Omit<ChangeDeps, 'db'>,
  policy: ProvincePolicy,
  mailboxId: string,
  now: Date,
): Promise<Applied> {
  const mailbox = await findMailboxById(trx, mailboxId, { forUpdate: true });
  const activity = await findMailboxActivity(trx, mailboxId);
  if (!mailbox || !activity || mailbox.state !== 'active' || mailbox.type !== 'personal') return null;
  // a known absence (leave, study) given by the agency holds the rule back until it ends
  if (isHeldByAbsence((await findMailboxAbsence(trx, mailboxId))?.until ?? null, now)) return null;
  const verdict = judgeInactivity(policy, activity.inactiveSince, now);
  if (!verdict) return null;
  const details = {
    rule: { province: policy.id, article: verdict.article, months: verdict.months, action: verdict.action },
    inactiveSince: activity.inactiveSince.toISOString(),
    lastActivityAt: activity.lastActivityAt?.toISOString() ?? null,
    dueAt: verdict.dueAt.toISOString(),
  };
  const reason = `Không sử dụng ${verdict.months} tháng (${policy.name}, ${verdict.article}) / unused for ${verdict.months} months`;
  if (verdict.action === 'lock') {
    const ctx: ChangeContext = {
      at: now,
      actor: SWEEP_ACTOR,
      correlationId: deps.newId(),
      requestId: null,
      itemId: null,
      reason,
    };
    await setMailboxState(
      { ...deps, db: trx },
      {
        before: mailbox,
        target: { action: 'suspend', state: 'locked', change: 'locked_inactive' },
        ctx,
        details,
      },
    );
    return { kind: 'locked', entry: { mailboxId, address: mailbox.address } };
  }
  const proposalId = deps.newId();
  const inserted = await insertReclaimProposalIfNone(trx, {
    id: proposalId,
    mailboxId,
    address: mailbox.address,
    province: policy.id,
    article: verdict.article,
    months: verdict.months,
    inactiveSince: activity.inactiveSince,
    lastActivityAt: activity.lastActivityAt,
    dueAt: verdict.dueAt,
    proposedAt: now,
  });
  if (!inserted) return null;
  await insertHistory(trx, {
    mailboxId,
    at: now,
    change: 'reclaim_proposed',
    reason,
    requestId: null,
    itemId: null,
    actor: SWEEP_ACTOR,
    details: { ...details, proposalId },
  });
  return { kind: 'proposed', entry: { mailboxId, address: mailbox.address, proposalId } };
}

async function expireReclaim(
  trx: DirectoryDeps['db'],
  deps: Omit<ChangeDeps, 'db'>,
  mailboxId: string,
  now: Date,
): Promise<{ mailboxId: string; address: string } | null> {
  const mailbox = await findMailboxById(trx, mailboxId, { forUpdate: true });
  // reissued or deleted meanwhile
  if (mailbox?.state !== 'locked') return null;
  const until = await findReclaimedUntil(trx, mailboxId);
  if (!isReclaimExpired(until, now)) return null;
  const ctx: ChangeContext = {
    at: now,
    actor: SWEEP_ACTOR,
    correlationId: deps.newId(),
    requestId: null,
    itemId: null,
    reason: `Hộp thư đã thu hồi không được cấp lại trước ${until?.toISOString().slice(0, 10)}: xóa / reclaimed mailbox not reissued in time: deleted`,
  };
  await setMailboxState(
    { ...deps, db: trx },
    {
      before: mailbox,
      target: { action: 'delete', state: 'deleted', change: 'reclaim_expired' },
      ctx,
      details: { keptUntil: until?.toISOString() ?? null },
    },
  );
  return { mailboxId, address: mailbox.address };
}
