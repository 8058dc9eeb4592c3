// A holder changed their own password (vn.gov.hopthu.selfservice.password.changed.v1 from the
// requests service): a new generation, history `password_changed` (no hash in it), the time of the
// change (it ends Kiên Giang's default-password period) and a `set_password` command carrying only
// the hash, with passwordChangeRequired false: the issued password need no longer be changed.
// A mailbox that is no longer active (suspended, locked, deleted since the page checked it) is
// left as it is: the change is recorded in its history as refused.
import type { Envelope } from '@hopthu/shared/events';
import type { Logger } from '@hopthu/shared/logger';
import { insertHistory } from '../../db/history-repository.ts';
import { findMailboxById, type Mailbox, updateMailbox } from '../../db/mailbox-repository.ts';
import { markPasswordChanged } from '../../db/password-repository.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { issueCommand } from '../mailboxes/provisioning-commands.ts';
import { publishMailboxState } from '../mailboxes/directory-state.ts';

export const HOLDER_ACTOR = 'holder (self-service)';

export async function recordPasswordChange(
  trx: Db,
  deps: { newId: () => string; logger: Logger; at: Date },
  event: Envelope<'vn.gov.hopthu.selfservice.password.changed.v1'>,
): Promise<'applied' | 'refused'> {
  const change = event.data;
  const before = await findMailboxById(trx, change.mailboxId, { forUpdate: true });
  const ctx: ChangeContext = {
    at: deps.at,
    actor: HOLDER_ACTOR,
    correlationId: event.correlationid ?? change.changeId,
    requestId: null,
    itemId: null,
    reason: 'Người dùng tự đổi mật khẩu / the holder changed the password',
  };
  const log = deps.logger.child({ mailboxId: change.mailboxId, changeId: change.changeId });
  if (
    !before ||
    before.address !== change.address ||
    (before.state !== 'active' && before.state !== 'provisioning')
  ) {
    if (before)
      await insertHistory(trx, {
        mailboxId: before.id,
        at: deps.at,
        change: 'password_change_refused',
        reason: `Hộp thư đang ở trạng thái ${before.state} / the mailbox is ${before.state}`,
        requestId: null,
        itemId: null,
        actor: HOLDER_ACTOR,
        details: { changeId: change.changeId, address: change.address, state: before.state },
      });
    log.warn(
      { state: before?.state ?? 'absent' },
      'self-service password change refused: mailbox not active',
    );
    return 'refused';
  }
  const mailbox: Mailbox = { ...before, generation: before.generation + 1, updatedAt: deps.at };
  await updateMailbox(trx, mailbox.id, { state: mailbox.state, generation: mailbox.generation }, deps.at);
  await markPasswordChanged(trx, mailbox.id, new Date(change.changedAt));
  await insertHistory(trx, {
    mailboxId: mailbox.id,
    at: deps.at,
    change: 'password_changed',
    reason: ctx.reason,
    requestId: null,
    itemId: null,
    actor: HOLDER_ACTOR,
    details: { changeId: change.changeId, changedAt: change.changedAt, generation: mailbox.generation },
  });
  await issueCommand(
    trx,
    deps.newId,
    mailbox,
    { action: 'set_password', passwordHash: change.passwordHash, passwordChangeRequired: false },
    ctx,
  );
  await publishMailboxState(trx, mailbox.id, ctx);
  log.info({ generation: mailbox.generation }, 'self-service password change: set_password issued');
  return 'applied';
}
