// An operator approves an item. Items that need two operators wait for a second, different one;
// the last approval makes the item `approved`, creates its one-time credential when the operation
// sets a password, and outboxes request.item.approved.v1 in the same transaction, so an approval
// is never lost whichever service stops, and never half done.
import { AppError } from '@hopthu/shared/errors';
import { buildEvent, Topics } from '@hopthu/shared/events';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import { lockItem, updateItemDecision } from '../../db/approval-repository.ts';
import { upsertCredential } from '../../db/credential-repository.ts';
import { insertTransition } from '../../db/item-repository.ts';
import { findRequest } from '../../db/request-repository.ts';
import { encrypt, generatePassword, hashGeneratedPassword } from '../secrets.ts';
import { settleRequest } from '../requests/settle-request.ts';
import { isHandover, issuesPassword } from '../self-service/issued-passwords.ts';
import {
  type ApprovalDeps,
  assertWaiting,
  type Decision,
  itemNotFound,
  operatorActor,
} from './approval-deps.ts';
import { buildItemApprovedData } from './item-approved-event.ts';

export async function approveItem(deps: ApprovalDeps, decision: Decision) {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const item = await lockItem(trx, decision.requestId, decision.itemId);
    if (!item) throw itemNotFound();
    assertWaiting(item);
    if (item.approvals.includes(decision.operator)) {
      throw new AppError('conflict', {
        vi: 'Cán bộ này đã phê duyệt mục này; cần một cán bộ khác phê duyệt lần thứ hai',
        en: 'This operator already approved the item; a second approval must come from a different operator',
      });
    }
    const approvals = [...item.approvals, decision.operator];
    const needed = Math.max(item.approvals_needed, 1);
    const done = approvals.length >= needed;
    const to = done ? 'approved' : 'pending_approval';
    await updateItemDecision(trx, item.id, { status: to, approvals, at: now });
    await insertTransition(trx, {
      itemId: item.id,
      from: item.status,
      to,
      actor: operatorActor(decision.operator),
      // History reasons reach operators and agencies, so they are written in Vietnamese.
      reason: decision.reason ?? (done ? 'Đã đủ phê duyệt' : `Phê duyệt ${approvals.length}/${needed}`),
      at: now,
    });
    if (!done) return { itemId: item.id, status: to, approvals, approvalsNeeded: needed };

    const request = await findRequest(trx, item.request_id);
    if (!request) throw itemNotFound();
    let passwordHash: string | undefined;
    const handover = isHandover(
      { operation: item.operation, changes: item.changes, person: item.person },
      item.mailbox_type,
    );
    if (issuesPassword(item.operation, request.province, handover)) {
      const password = generatePassword();
      passwordHash = hashGeneratedPassword(password);
      await upsertCredential(trx, {
        itemId: item.id,
        passwordEnc: encrypt(deps.dataKey, password),
        expiresAt: new Date(now.getTime() + deps.credentialTtlHours * 3600_000),
        createdAt: now,
      });
    }
    await insertOutboxMessage(trx, {
      topic: Topics.requests,
      key: request.id,
      event: buildEvent(
        'vn.gov.hopthu.request.item.approved.v1',
        buildItemApprovedData(item, request, {
          approvedBy: approvals.map(operatorActor).join(','),
          ...(passwordHash ? { passwordHash } : {}),
        }),
        { source: 'hopthu/requests', subject: item.id, correlationId: request.id },
      ),
    });
    await settleRequest(
      { db: trx, publicUrl: deps.publicUrl },
      { requestId: request.id, correlationId: request.id, now },
    );
    return { itemId: item.id, status: to, approvals, approvalsNeeded: needed };
  });
}
