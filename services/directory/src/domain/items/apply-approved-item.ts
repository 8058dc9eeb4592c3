// The directory's part of an approved item: turn it into provisioning commands, or settle it here.
// Items it cannot carry out are answered on hopthu.provisioning.results.v1 with outcome `failed`
// and a reason, so the requests service marks them failed; collisions an operator must decide wait
// in pending_decisions.
import { type Envelope, type ItemApproved, isUnitOperation } from '@hopthu/shared/events';
import type { Logger } from '@hopthu/shared/logger';
import { findAgencyById } from '../../db/agency-repository.ts';
import { insertPendingDecision } from '../../db/decision-repository.ts';
import { applyUnitItem } from '../agencies/apply-unit-item.ts';
import { createOfficialMailbox } from '../agencies/create-official-mailbox.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { publishItemResult } from './publish-item-result.ts';
import { changeMailboxState, isStateOperation } from './change-mailbox-state.ts';
import { createPersonalMailbox, type ItemOutcome } from './create-personal-mailbox.ts';
import { updateMailboxEntry } from './update-mailbox-entry.ts';

export interface ApplyItemDeps {
  newId: () => string;
  retiredHoldDays: number;
  renameAliasDays: number;
  logger: Logger;
  at: Date;
}

export async function applyApprovedItem(
  db: Db,
  deps: ApplyItemDeps,
  event: Envelope<'vn.gov.hopthu.request.item.approved.v1'>,
  options: { forcedLocal?: string | undefined; actor?: string } = {},
): Promise<ItemOutcome> {
  const item = event.data;
  const ctx: ChangeContext = {
    at: deps.at,
    actor: options.actor ?? item.approvedBy,
    correlationId: event.correlationid ?? item.requestId,
    requestId: item.requestId,
    itemId: item.itemId,
    reason: item.reason ?? null,
  };
  const outcome = await decide(db, deps, item, ctx, options.forcedLocal);
  const log = deps.logger.child({
    requestId: item.requestId,
    itemId: item.itemId,
    operation: item.operation,
  });
  switch (outcome.outcome) {
    case 'failed':
      log.info({ reason: outcome.reason.en }, 'item cannot be carried out; answering failed');
      await publishItemResult(db, deps.newId, item, { outcome: 'failed', reason: outcome.reason }, ctx);
      break;
    case 'applied':
      log.info({ address: outcome.mailbox?.address }, 'item applied in the directory');
      await publishItemResult(db, deps.newId, item, { outcome: 'applied', mailbox: outcome.mailbox }, ctx);
      break;
    case 'pending_decision':
      log.info({ candidates: outcome.candidates }, 'item waits for an operator to choose the address');
      break;
    default:
      log.info({ address: outcome.mailbox.address }, 'provisioning command issued');
  }
  return outcome;
}

async function decide(
  db: Db,
  deps: ApplyItemDeps,
  item: ItemApproved,
  ctx: ChangeContext,
  forcedLocal: string | undefined,
): Promise<ItemOutcome> {
  const agency = await findAgencyById(db, item.agencyId);
  if (!agency) {
    return {
      outcome: 'failed',
      reason: {
        vi: `Cơ quan ${item.agencyId} không có trong danh bạ`,
        en: `The agency ${item.agencyId} is not in the directory`,
      },
    };
  }
  if (agency.dissolvedAt) {
    return {
      outcome: 'failed',
      reason: {
        vi: `Cơ quan ${agency.name} đã giải thể`,
        en: `The agency ${agency.name} is dissolved`,
      },
    };
  }
  if (isUnitOperation(item.operation)) return applyUnitItem({ ...deps, db }, item, agency, ctx);
  if (item.operation === 'create' && item.mailboxType === 'personal') {
    return createPersonalMailbox(db, deps.newId, item, agency, ctx, { forcedLocal });
  }
  if (item.operation === 'create') {
    const result = await createOfficialMailbox(db, deps.newId, {
      agencyId: agency.id,
      passwordHash: item.passwordHash,
      forcedLocal,
      ctx,
    });
    switch (result.outcome) {
      case 'created':
        return result;
      case 'exists':
        return {
          outcome: 'failed',
          reason: {
            vi: `Cơ quan đã có hộp thư cơ quan ${result.mailbox.address}`,
            en: `The agency already has its agency mailbox ${result.mailbox.address}`,
          },
        };
      case 'error':
        return { outcome: 'failed', reason: result.message };
      case 'operator':
        await insertPendingDecision(
          db,
          {
            id: deps.newId(),
            itemId: item.itemId,
            requestId: item.requestId,
            agencyId: agency.id,
            province: agency.province,
            item,
            candidates: result.candidates,
            reason: 'agency mailbox address taken',
            correlationId: ctx.correlationId ?? null,
          },
          ctx.at,
        );
        return { outcome: 'pending_decision', candidates: result.candidates };
    }
  }
  if (item.operation === 'update') {
    return updateMailboxEntry(db, item, ctx, {
      newId: deps.newId,
      renameAliasDays: deps.renameAliasDays,
      retiredHoldDays: deps.retiredHoldDays,
      forcedLocal,
    });
  }
  if (isStateOperation(item.operation)) {
    return changeMailboxState(db, deps.newId, { ...item, operation: item.operation }, ctx, {
      retiredHoldDays: deps.retiredHoldDays,
    });
  }
  return {
    outcome: 'failed',
    reason: {
      vi: `Thao tác ${item.operation} không được hỗ trợ`,
      en: `Unsupported operation ${item.operation}`,
    },
  };
}
