// Answers an item the directory settles itself (a failure, or a change in the directory alone).
import { type ItemApproved, Topics } from '@hopthu/shared/events';
import type { Mailbox } from '../../db/mailbox-repository.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { outboxEvent } from '../mailboxes/directory-event.ts';
import { actionForOperation } from '../mailboxes/naming-input.ts';

/**
 * Answers an item the directory settles itself, on hopthu.provisioning.results.v1 keyed by item id:
 * `failed` with a reason (Vietnamese / English) for items it cannot turn into commands, `applied`
 * for directory-only updates. The requests service reads these like the provisioner's results.
 */
export async function publishItemResult(
  db: Db,
  newId: () => string,
  item: ItemApproved,
  result: { outcome: 'failed' | 'applied'; reason?: { vi: string; en: string }; mailbox?: Mailbox | null },
  ctx: ChangeContext,
): Promise<void> {
  const data = {
    commandId: newId(),
    mailboxId: result.mailbox?.id ?? '',
    generation: result.mailbox?.generation ?? 0,
    action: actionForOperation(item.operation),
    address: result.mailbox?.address ?? item.address ?? '',
    requestId: item.requestId,
    itemId: item.itemId,
    outcome: result.outcome,
    ...(result.reason ? { error: `${result.reason.vi} / ${result.reason.en}` } : {}),
    attempts: 1,
  };
  await outboxEvent(
    db,
    Topics.provisioningResults,
    item.itemId,
    'vn.gov.hopthu.provisioning.result.v1',
    data,
    ctx,
  );
}
