// An operator's answer to an item that waited for an address decision: the item goes on exactly as
// if the naming rule had given that address (same transaction rules, same events).
import { getPolicy } from '@hopthu/naming';
import { AppError } from '@hopthu/shared/errors';
import { buildEvent, type ItemApproved } from '@hopthu/shared/events';
import { findDecisionForUpdate, listOpenDecisions, markDecided } from '../../db/decision-repository.ts';
import type { DirectoryDeps } from '../deps.ts';
import { EVENT_SOURCE } from '../deps.ts';
import { applyApprovedItem } from '../items/apply-approved-item.ts';
import { splitAddress } from '../mailboxes/naming-input.ts';

export async function listPendingDecisions(deps: DirectoryDeps) {
  const open = await listOpenDecisions(deps.db);
  return open.map((d) => {
    const item = d.item as ItemApproved;
    return {
      id: d.id,
      requestId: d.requestId,
      itemId: d.itemId,
      agencyId: d.agencyId,
      province: d.province,
      operation: item.operation,
      mailboxType: item.mailboxType,
      person: item.person
        ? {
            familyName: item.person.familyName,
            middleName: item.person.middleName,
            givenName: item.person.givenName,
          }
        : null,
      candidates: d.candidates,
      reason: d.reason,
      createdAt: d.createdAt.toISOString(),
    };
  });
}

export async function decideAddress(
  deps: DirectoryDeps,
  input: { decisionId: string; address: string; actor: string },
): Promise<{ mailboxId: string; address: string }> {
  return deps.db.transaction().execute(async (trx) => {
    const decision = /^[0-9a-f-]{36}$/i.test(input.decisionId)
      ? await findDecisionForUpdate(trx, input.decisionId)
      : null;
    if (!decision) throw new AppError('not_found', { vi: 'Không có quyết định này', en: 'No such decision' });
    if (decision.decidedAt) {
      throw new AppError('conflict', {
        vi: `Đã quyết định: ${decision.decidedAddress}`,
        en: `Already decided: ${decision.decidedAddress}`,
      });
    }
    const policy = getPolicy(decision.province);
    const parts = splitAddress(input.address);
    if (!parts || parts.domain !== policy.domain) {
      throw new AppError(
        'validation_failed',
        { vi: `Địa chỉ phải thuộc tên miền ${policy.domain}`, en: `The address must be in ${policy.domain}` },
        { errors: [{ field: '/address', message: { vi: 'Sai tên miền', en: 'wrong domain' } }] },
      );
    }
    const item = decision.item as ItemApproved;
    const at = deps.clock.now();
    const event = buildEvent('vn.gov.hopthu.request.item.approved.v1', item, {
      source: EVENT_SOURCE,
      subject: item.requestId,
      ...(decision.correlationId ? { correlationId: decision.correlationId } : {}),
    });
    const outcome = await applyApprovedItem(
      { ...deps, db: trx, clock: { now: () => at } },
      { event, forcedLocal: parts.localPart, actor: input.actor },
    );
    if (outcome.outcome === 'created' || outcome.outcome === 'commanded') {
      await markDecided(trx, decision.id, outcome.mailbox.address, input.actor, at);
      return { mailboxId: outcome.mailbox.id, address: outcome.mailbox.address };
    }
    const message =
      outcome.outcome === 'failed'
        ? outcome.reason
        : { vi: 'Địa chỉ không dùng được', en: 'The address cannot be used' };
    // Nothing is kept: the failed answer applyApprovedItem wrote to the outbox rolls back with it.
    throw new AppError('conflict', message, { errors: [{ field: '/address', message }] });
  });
}
