// An operator rejects an item, with a reason the agency reads: on the item (GET /v1/requests/{id}),
// in request.item.rejected.v1, and in the result mail and webhook once the request finishes
// (request.finished.v1 carries each item's reason). One operator's rejection ends the item, even
// one that needed two approvals.
import { buildEvent, Topics } from '@hopthu/shared/events';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import { lockItem, updateItemDecision } from '../../db/approval-repository.ts';
import { insertTransition } from '../../db/item-repository.ts';
import { findRequest } from '../../db/request-repository.ts';
import { settleRequest } from '../requests/settle-request.ts';
import {
  type ApprovalDeps,
  assertWaiting,
  type Decision,
  itemNotFound,
  operatorActor,
} from './approval-deps.ts';

export async function rejectItem(deps: ApprovalDeps, decision: Decision & { reason: string }) {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const item = await lockItem(trx, decision.requestId, decision.itemId);
    if (!item) throw itemNotFound();
    assertWaiting(item);
    const request = await findRequest(trx, item.request_id);
    if (!request) throw itemNotFound();
    const actor = operatorActor(decision.operator);
    await updateItemDecision(trx, item.id, { status: 'rejected', reason: decision.reason, at: now });
    await insertTransition(trx, {
      itemId: item.id,
      from: item.status,
      to: 'rejected',
      actor,
      reason: decision.reason,
      at: now,
    });
    await insertOutboxMessage(trx, {
      topic: Topics.requests,
      key: request.id,
      event: buildEvent(
        'vn.gov.hopthu.request.item.rejected.v1',
        {
          requestId: request.id,
          itemId: item.id,
          agencyId: item.agency_id,
          reason: decision.reason,
          rejectedBy: actor,
        },
        { source: 'hopthu/requests', subject: item.id, correlationId: request.id },
      ),
    });
    await settleRequest(
      { db: trx, publicUrl: deps.publicUrl },
      { requestId: request.id, correlationId: request.id, now },
    );
    return { itemId: item.id, status: 'rejected' as const, reason: decision.reason };
  });
}
