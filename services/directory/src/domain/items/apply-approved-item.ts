// The directory's part of an approved item, top to bottom: who and why (the ChangeContext), the
// agency's checks, then one function per operation, each ending in recordMailboxChange (history,
// command, state) or in an answer. Items it cannot carry out are answered on
// hopthu.provisioning.results.v1 with outcome `failed` and a reason, so the requests service marks
// them failed; changes in the directory alone are answered `applied`; collisions an operator must
// decide wait in pending_decisions. Runs in the caller's transaction (item-outcome.ts: ItemDeps).
import {
  type Envelope,
  type ItemApproved,
  isAliasOperation,
  isForwardOperation,
  isUnitOperation,
} from '@hopthu/shared/events';
import { findAgencyById } from '../../db/agency-repository.ts';
import { createOfficialMailbox } from '../agencies/create-official-mailbox.ts';
import { applyUnitItem } from '../agencies/apply-unit-item.ts';
import { applyAliasItem } from '../aliases/apply-alias-item.ts';
import { applyForwardItem } from '../forwards/apply-forward-item.ts';
import type { ChangeContext } from '../deps.ts';
import { awaitOperator } from './await-operator.ts';
import { changeMailboxState, isStateOperation } from './change-mailbox-state.ts';
import { createPersonalMailbox } from './create-personal-mailbox.ts';
import type { ItemDeps, ItemOutcome, OperationInput } from './item-outcome.ts';
import { publishItemResult } from './publish-item-result.ts';
import { restoreDeletedMailbox } from './restore-deleted-mailbox.ts';
import { updateMailboxEntry } from './update-mailbox-entry.ts';

export interface ApplyItemInput {
  event: Envelope<'vn.gov.hopthu.request.item.approved.v1'>;
  /** A local part an operator decided (decide-address.ts). */
  forcedLocal?: string | undefined;
  /** Who decided, when not the item's approver. */
  actor?: string;
}

export async function applyApprovedItem(deps: ItemDeps, input: ApplyItemInput): Promise<ItemOutcome> {
  const { event } = input;
  const item = event.data;
  const ctx = itemChangeContext(event, deps.clock.now(), input.actor);
  const outcome = await applyOperation(deps, item, ctx, input.forcedLocal);
  const log = deps.logger.child({
    requestId: item.requestId,
    itemId: item.itemId,
    operation: item.operation,
  });
  switch (outcome.outcome) {
    case 'failed':
      log.info({ reason: outcome.reason.en }, 'item cannot be carried out; answering failed');
      await publishItemResult(deps.db, deps.newId, item, { outcome: 'failed', reason: outcome.reason }, ctx);
      break;
    case 'applied':
      log.info({ address: outcome.mailbox?.address }, 'item applied in the directory');
      await publishItemResult(
        deps.db,
        deps.newId,
        item,
        { outcome: 'applied', mailbox: outcome.mailbox },
        ctx,
      );
      break;
    case 'pending_decision':
      log.info({ candidates: outcome.candidates }, 'item waits for an operator to choose the address');
      break;
    default:
      log.info({ address: outcome.mailbox.address }, 'provisioning command issued');
  }
  return outcome;
}

/** Who and why of an item's changes: its approver (or who decided), request, item and reason. */
export function itemChangeContext(event: ApplyItemInput['event'], at: Date, actor?: string): ChangeContext {
  const item = event.data;
  return {
    at,
    actor: actor ?? item.approvedBy,
    correlationId: event.correlationid ?? item.requestId,
    requestId: item.requestId,
    itemId: item.itemId,
    reason: item.reason ?? null,
  };
}

/** The item's agency must be in the directory and live; then the operation's own function. */
async function applyOperation(
  deps: ItemDeps,
  item: ItemApproved,
  ctx: ChangeContext,
  forcedLocal: string | undefined,
): Promise<ItemOutcome> {
  const agency = await findAgencyById(deps.db, item.agencyId);
  if (!agency) {
    return failed(
      `Cơ quan ${item.agencyId} không có trong danh bạ`,
      `The agency ${item.agencyId} is not in the directory`,
    );
  }
  if (agency.dissolvedAt) {
    return failed(`Cơ quan ${agency.name} đã giải thể`, `The agency ${agency.name} is dissolved`);
  }
  const input: OperationInput = { item, agency, ctx, forcedLocal };
  if (isUnitOperation(item.operation)) return applyUnitItem(deps, input);
  if (isAliasOperation(item.operation)) return applyAliasItem(deps, input);
  if (isForwardOperation(item.operation)) return applyForwardItem(deps, input);
  if (item.operation === 'create' && item.mailboxType === 'personal')
    return createPersonalMailbox(deps, input);
  if (item.operation === 'create') return createAgencyMailbox(deps, input);
  if (item.operation === 'update') return updateMailboxEntry(deps, input);
  if (isStateOperation(item.operation)) return changeMailboxState(deps, input);
  if (item.operation === 'restore_deleted') return restoreDeletedMailbox(deps, input);
  return failed(`Thao tác ${item.operation} không được hỗ trợ`, `Unsupported operation ${item.operation}`);
}

/** A `create` of the agency's own mailbox (hộp thư cơ quan), named by the unit rule. */
async function createAgencyMailbox(deps: ItemDeps, input: OperationInput): Promise<ItemOutcome> {
  const { item, agency, ctx } = input;
  const result = await createOfficialMailbox(deps, {
    agencyId: agency.id,
    passwordHash: item.passwordHash,
    forcedLocal: input.forcedLocal,
    ctx,
  });
  switch (result.outcome) {
    case 'created':
      return result;
    case 'exists':
      return failed(
        `Cơ quan đã có hộp thư cơ quan ${result.mailbox.address}`,
        `The agency already has its agency mailbox ${result.mailbox.address}`,
      );
    case 'error':
      return { outcome: 'failed', reason: result.message };
    case 'operator':
      return awaitOperator(deps, {
        item,
        ctx,
        province: agency.province,
        candidates: result.candidates,
        reason: 'agency mailbox address taken',
      });
  }
}

function failed(vi: string, en: string): ItemOutcome {
  return { outcome: 'failed', reason: { vi, en } };
}
