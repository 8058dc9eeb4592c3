// A holder changed their own password (vn.gov.hopthu.selfservice.password.changed.v1 from the
// requests service): a new generation, history `password_changed` (no hash in it), the time of the
// change (it ends Kiên Giang's default-password period) and a `set_password` command carrying only
// the hash, with passwordChangeRequired false: the issued password need no longer be changed.
// A mailbox that is no longer active (suspended, locked, deleted since the page checked it) is
// left as it is: the change is recorded in its history as refused.
import type { Envelope } from '@hopthu/shared/events';
import { findMailboxById, type Mailbox, updateMailbox } from '../../db/mailbox-repository.ts';
import { markPasswordChanged } from '../../db/password-repository.ts';
import type { ChangeContext, DirectoryDeps } from '../deps.ts';
import { recordMailboxChange } from '../mailboxes/record-mailbox-change.ts';

export const HOLDER_ACTOR = 'holder (self-service)';

/** In the caller's transaction (`deps.db`: the consumer's inbox transaction). */
export async function recordPasswordChange(
  deps: Pick<DirectoryDeps, 'db' | 'newId' | 'clock' | 'logger'>,
  event: Envelope<'vn.gov.hopthu.selfservice.password.changed.v1'>,
): Promise<'applied' | 'refused'> {
  const { db: trx } = deps;
  const change = event.data;
  const before = await findMailboxById(trx, change.mailboxId, { forUpdate: true });
  const ctx: ChangeContext = {
    at: deps.clock.now(),
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
    if (before) {
      // nothing others see changes: a history note only
      await recordMailboxChange(
        deps,
        {
          mailbox: before,
          history: {
            change: 'password_change_refused',
            details: { changeId: change.changeId, address: change.address, state: before.state },
          },
          publish: false,
        },
        { ...ctx, reason: `Hộp thư đang ở trạng thái ${before.state} / the mailbox is ${before.state}` },
      );
    }
    log.warn(
      { state: before?.state ?? 'absent' },
      'self-service password change refused: mailbox not active',
    );
    return 'refused';
  }
  const mailbox: Mailbox = { ...before, generation: before.generation + 1, updatedAt: ctx.at };
  await updateMailbox(trx, mailbox.id, { state: mailbox.state, generation: mailbox.generation }, ctx.at);
  await markPasswordChanged(trx, mailbox.id, new Date(change.changedAt));
  await recordMailboxChange(
    deps,
    {
      mailbox,
      history: {
        change: 'password_changed',
        details: { changeId: change.changeId, changedAt: change.changedAt, generation: mailbox.generation },
      },
      command: { action: 'set_password', passwordHash: change.passwordHash, passwordChangeRequired: false },
    },
    ctx,
  );
  log.info({ generation: mailbox.generation }, 'self-service password change: set_password issued');
  return 'applied';
}
