// The one way a mailbox's state changes (an item's suspend, restore, delete or password reset, a
// handover's reset, the inactivity lock, an approved reclaim, a dissolved unit): a new generation,
// a delete's address held back from reissue, its aliases released with it (held back too, listed in
// its history: aliases-of-deleted.ts) and its agency left without it, a restore restarting the
// inactivity period, then the change recorded (history, command, state).
import type { ProvisioningAction } from '@hopthu/shared/events';
import { clearOfficialMailbox } from '../../db/agency-repository.ts';
import { markReopened } from '../../db/inactivity-repository.ts';
import { releaseAliasesOfDeleted } from '../aliases/aliases-of-deleted.ts';
import { type Mailbox, updateMailbox } from '../../db/mailbox-repository.ts';
import type { MailboxStateName } from '../../db/schema.ts';
import type { ChangeContext, ChangeDeps } from '../deps.ts';
import { holdRetiredAddresses } from './address-holds.ts';
import { recordMailboxChange } from './record-mailbox-change.ts';

/** What a state change does: the command, the state it leaves (null: unchanged) and its history name. */
export interface StateTarget {
  action: ProvisioningAction;
  state: MailboxStateName | null;
  change: string;
}

export interface SetMailboxStateInput {
  before: Mailbox;
  target: StateTarget;
  ctx: ChangeContext;
  passwordHash?: string | undefined;
  passwordChangeRequired?: boolean;
  /** Added to the history row's details. */
  details?: Record<string, unknown>;
}

export async function setMailboxState(deps: ChangeDeps, input: SetMailboxStateInput): Promise<Mailbox> {
  const { db } = deps;
  const { before, target, ctx } = input;
  const mailbox: Mailbox = {
    ...before,
    generation: before.generation + 1,
    // A mailbox restored before the mail server confirmed its creation is still being provisioned.
    state:
      target.state === 'active' && before.state === 'provisioning'
        ? 'provisioning'
        : (target.state ?? before.state),
    updatedAt: ctx.at,
  };
  await updateMailbox(db, mailbox.id, { state: mailbox.state, generation: mailbox.generation }, ctx.at);
  if (target.action === 'restore') await markReopened(db, mailbox.id, ctx.at);
  const deleted = target.action === 'delete';
  if (deleted) await holdRetiredAddresses(deps, [{ mailbox }], ctx.at);
  // the mail server's delete drops the rows of its aliases: the directory lets them go too, recorded
  const aliases = deleted ? await releaseAliasesOfDeleted(deps, mailbox, ctx.at) : [];
  const agencyLeft = deleted && mailbox.type === 'agency';
  if (agencyLeft) await clearOfficialMailbox(db, mailbox.id, ctx.at);
  await recordMailboxChange(
    deps,
    {
      mailbox,
      history: {
        change: target.change,
        details: {
          from: before.state,
          to: mailbox.state,
          generation: mailbox.generation,
          ...(aliases.length > 0 ? { aliases } : {}),
          ...input.details,
        },
      },
      command: {
        action: target.action,
        ...(input.passwordHash !== undefined ? { passwordHash: input.passwordHash } : {}),
        ...(input.passwordChangeRequired ? { passwordChangeRequired: true } : {}),
      },
      agencyId: agencyLeft ? mailbox.agencyId : undefined,
    },
    ctx,
  );
  return mailbox;
}
