// Operators decide reclaim proposals (Đắk Nông Điều 7 khoản 3, Kiên Giang Điều 5 khoản 4): reclaiming
// a person's mailbox is never automatic. Approving follows the province (reclaimOutcome): Đắk Nông
// deletes it through the same state change as a delete request (generation, retired address,
// `delete` command, published state); Kiên Giang, whose holder may have it reissued, locks it
// (`suspend` command: logins refused, address and mail kept) until its retention, when the sweep
// deletes it, and a restore request before then reopens it at the same address. Either way history
// `reclaimed_inactive` says why and who. Dismissing keeps the mailbox and the sweep does not
// propose it again until it has been used and then left unused for a new period.
import { AppError } from '@hopthu/shared/errors';
import { insertHistory } from '../../db/history-repository.ts';
import {
  closeReclaimProposal,
  findMailboxActivity,
  findReclaimProposal,
  listReclaimProposals,
  type ReclaimProposal,
} from '../../db/inactivity-repository.ts';
import { markReclaimedUntil } from '../../db/inactivity-repository.ts';
import { findMailboxById } from '../../db/mailbox-repository.ts';
import { getPolicy } from '@hopthu/naming';
import type { ReclaimState } from '../../db/schema.ts';
import type { ChangeContext, DirectoryDeps } from '../deps.ts';
import { setMailboxState } from '../mailboxes/set-mailbox-state.ts';
import { reclaimOutcome } from './reclaim-outcome.ts';

export function reclaimView(p: ReclaimProposal) {
  return {
    id: p.id,
    mailboxId: p.mailboxId,
    address: p.address,
    province: p.province,
    article: p.article,
    months: p.months,
    inactiveSince: p.inactiveSince.toISOString(),
    lastActivityAt: p.lastActivityAt?.toISOString() ?? null,
    dueAt: p.dueAt.toISOString(),
    state: p.state,
    proposedAt: p.proposedAt.toISOString(),
    decidedAt: p.decidedAt?.toISOString() ?? null,
    decidedBy: p.decidedBy,
    reason: p.reason,
  };
}

export async function listReclaims(
  deps: Pick<DirectoryDeps, 'db'>,
  filter: { state?: ReclaimState | undefined; province?: string | undefined; mailboxId?: string | undefined },
) {
  return { items: (await listReclaimProposals(deps.db, filter)).map(reclaimView) };
}

const notFound = () =>
  new AppError('not_found', { vi: 'Không có đề xuất thu hồi này', en: 'No such reclaim proposal' });

const notOpen = (p: ReclaimProposal) =>
  new AppError('conflict', {
    vi: `Đề xuất thu hồi đã ở trạng thái ${p.state}`,
    en: `The reclaim proposal is already ${p.state}`,
  });

export async function approveReclaim(
  deps: DirectoryDeps,
  input: { proposalId: string; operator: string; note?: string | undefined },
) {
  const result = await deps.db.transaction().execute(async (trx) => {
    const proposal = await findReclaimProposal(trx, input.proposalId, { forUpdate: true });
    if (!proposal) throw notFound();
    if (proposal.state !== 'proposed') throw notOpen(proposal);
    const at = deps.clock.now();
    const mailbox = await findMailboxById(trx, proposal.mailboxId, { forUpdate: true });
    const activity = await findMailboxActivity(trx, proposal.mailboxId);
    // Used, reopened or changed by a request since it was proposed: the proposal no longer holds.
    if (
      !mailbox ||
      !activity ||
      mailbox.state !== 'active' ||
      activity.inactiveSince.getTime() !== proposal.inactiveSince.getTime()
    ) {
      await closeReclaimProposal(trx, proposal.id, {
        state: 'withdrawn',
        at,
        by: input.operator,
        reason: 'mailbox changed since proposed',
      });
      return { outcome: 'withdrawn' as const, proposal: { ...proposal, state: 'withdrawn' as const } };
    }
    const reason = `Thu hồi do không sử dụng ${proposal.months} tháng (${proposal.article}), phê duyệt bởi ${input.operator} / reclaimed: unused for ${proposal.months} months, approved by ${input.operator}`;
    const ctx: ChangeContext = {
      at,
      actor: input.operator,
      correlationId: deps.newId(),
      requestId: null,
      itemId: null,
      reason,
    };
    const outcome = reclaimOutcome(getPolicy(mailbox.province), at);
    const deleted = await setMailboxState(
      { ...deps, db: trx },
      {
        before: mailbox,
        target:
          outcome.kind === 'keep'
            ? { action: 'suspend', state: 'locked', change: 'reclaimed_inactive' }
            : { action: 'delete', state: 'deleted', change: 'reclaimed_inactive' },
        ctx:
          outcome.kind === 'keep'
            ? {
                ...ctx,
                reason: `${reason}; giữ địa chỉ và thư đến ${outcome.until.toISOString().slice(0, 10)} để cấp lại (${outcome.article}) / address and mail kept for a reissue until then`,
              }
            : ctx,
        details: {
          proposalId: proposal.id,
          article: proposal.article,
          months: proposal.months,
          inactiveSince: proposal.inactiveSince.toISOString(),
          lastActivityAt: proposal.lastActivityAt?.toISOString() ?? null,
          ...(outcome.kind === 'keep'
            ? { keptUntil: outcome.until.toISOString(), reissue: outcome.article }
            : {}),
          ...(input.note ? { note: input.note } : {}),
        },
      },
    );
    if (outcome.kind === 'keep') await markReclaimedUntil(trx, mailbox.id, outcome.until);
    await closeReclaimProposal(trx, proposal.id, {
      state: 'approved',
      at,
      by: input.operator,
      reason: input.note ?? null,
    });
    return {
      outcome: 'approved' as const,
      proposal: { ...proposal, state: 'approved' as const, decidedAt: at, decidedBy: input.operator },
      generation: deleted.generation,
      mailboxState: deleted.state,
      keptUntil: outcome.kind === 'keep' ? outcome.until.toISOString() : null,
    };
  });
  if (result.outcome === 'withdrawn') {
    throw new AppError('conflict', {
      vi: 'Hộp thư đã thay đổi hoặc được sử dụng lại kể từ khi đề xuất; đề xuất đã được rút lại',
      en: 'The mailbox changed or was used again since the proposal; the proposal was withdrawn',
    });
  }
  deps.logger.info(
    { proposalId: result.proposal.id, mailboxId: result.proposal.mailboxId, operator: input.operator },
    result.keptUntil ? 'reclaim approved: locked, kept for a reissue' : 'reclaim approved: delete issued',
  );
  return {
    ...reclaimView(result.proposal),
    mailboxState: result.mailboxState,
    keptUntil: result.keptUntil,
    generation: result.generation,
  };
}

export async function dismissReclaim(
  deps: Pick<DirectoryDeps, 'db' | 'clock' | 'logger'>,
  input: { proposalId: string; operator: string; reason: string },
) {
  const proposal = await deps.db.transaction().execute(async (trx) => {
    const found = await findReclaimProposal(trx, input.proposalId, { forUpdate: true });
    if (!found) throw notFound();
    if (found.state !== 'proposed') throw notOpen(found);
    const at = deps.clock.now();
    await closeReclaimProposal(trx, found.id, {
      state: 'dismissed',
      at,
      by: input.operator,
      reason: input.reason,
    });
    await insertHistory(trx, {
      mailboxId: found.mailboxId,
      at,
      change: 'reclaim_dismissed',
      reason: input.reason,
      requestId: null,
      itemId: null,
      actor: input.operator,
      details: {
        proposalId: found.id,
        article: found.article,
        inactiveSince: found.inactiveSince.toISOString(),
      },
    });
    return {
      ...found,
      state: 'dismissed' as const,
      decidedAt: at,
      decidedBy: input.operator,
      reason: input.reason,
    };
  });
  deps.logger.info({ proposalId: proposal.id, operator: input.operator }, 'reclaim dismissed');
  return reclaimView(proposal);
}
