// The provisioner's activity report (provisioning.activity.v1): the latest of the uses the
// mailbox's province counts (its last login, message sent, message delivered: Bắc Ninh Điều 4
// khoản 2 điểm c counts sending and receiving, Kiên Giang access only) becomes its last use here.
// A report with none of those counted changes nothing (`not_counted`). Use never unlocks a mailbox (Bắc Ninh: locked until a restore request; a
// locked mailbox cannot log in anyway), but it withdraws an open reclaim proposal counted from an
// older use: the person is using the mailbox again.
import { findPolicy, lastUse } from '@hopthu/naming';
import type { MailboxActivity } from '@hopthu/shared/events';
import { insertHistory } from '../../db/history-repository.ts';
import {
  closeReclaimProposal,
  findMailboxActivity,
  findOpenReclaimProposal,
  recordLastActivity,
} from '../../db/inactivity-repository.ts';
import { findMailboxById } from '../../db/mailbox-repository.ts';
import type { DirectoryDeps } from '../deps.ts';

export type ActivityOutcome = 'unknown_mailbox' | 'not_counted' | 'stale' | 'recorded' | 'proposal_withdrawn';

const date = (iso: string | undefined) => (iso ? new Date(iso) : null);

/** In the caller's transaction (`deps.db`: the results consumer's inbox transaction). */
export async function recordMailboxActivity(
  deps: Pick<DirectoryDeps, 'db' | 'clock'>,
  activity: MailboxActivity,
): Promise<ActivityOutcome> {
  const { db } = deps;
  const ctx = { at: deps.clock.now() };
  if (!/^[0-9a-f-]{36}$/i.test(activity.mailboxId)) return 'unknown_mailbox';
  const mailbox = await findMailboxById(db, activity.mailboxId, { forUpdate: true });
  if (!mailbox) return 'unknown_mailbox';
  const lastLoginAt = lastUse(findPolicy(mailbox.province)?.inactivity, {
    lastLoginAt: date(activity.lastLoginAt),
    lastSentAt: date(activity.lastSentAt),
    lastReceivedAt: date(activity.lastReceivedAt),
  });
  if (!lastLoginAt) return 'not_counted';
  if (!(await recordLastActivity(db, mailbox.id, lastLoginAt))) return 'stale';
  const open = await findOpenReclaimProposal(db, mailbox.id);
  const now = await findMailboxActivity(db, mailbox.id);
  if (!open || !now || now.inactiveSince.getTime() <= open.inactiveSince.getTime()) return 'recorded';
  await closeReclaimProposal(db, open.id, {
    state: 'withdrawn',
    at: ctx.at,
    by: 'provisioner',
    reason: 'used again',
  });
  await insertHistory(db, {
    mailboxId: mailbox.id,
    at: ctx.at,
    change: 'reclaim_withdrawn',
    reason: 'Hộp thư được sử dụng lại / the mailbox was used again',
    requestId: null,
    itemId: null,
    actor: 'provisioner',
    details: { proposalId: open.id, lastActivityAt: lastLoginAt.toISOString() },
  });
  return 'proposal_withdrawn';
}
