// The provisioner's activity report (provisioning.activity.v1): the mailbox's last login becomes
// its last use here. Use never unlocks a mailbox (Bắc Ninh: locked until a restore request; a
// locked mailbox cannot log in anyway), but it withdraws an open reclaim proposal counted from an
// older use: the person is using the mailbox again.
import type { MailboxActivity } from '@hopthu/shared/events';
import { insertHistory } from '../../db/history-repository.ts';
import {
  closeReclaimProposal,
  findMailboxActivity,
  findOpenReclaimProposal,
  recordLastActivity,
} from '../../db/inactivity-repository.ts';
import { findMailboxById } from '../../db/mailbox-repository.ts';
import type { Db } from '../deps.ts';

export type ActivityOutcome = 'unknown_mailbox' | 'stale' | 'recorded' | 'proposal_withdrawn';

export async function recordMailboxActivity(
  db: Db,
  activity: MailboxActivity,
  ctx: { at: Date },
): Promise<ActivityOutcome> {
  if (!/^[0-9a-f-]{36}$/i.test(activity.mailboxId)) return 'unknown_mailbox';
  const mailbox = await findMailboxById(db, activity.mailboxId, { forUpdate: true });
  if (!mailbox) return 'unknown_mailbox';
  const lastLoginAt = new Date(activity.lastLoginAt);
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
