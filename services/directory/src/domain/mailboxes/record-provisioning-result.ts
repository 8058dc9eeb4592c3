// Results from the provisioner for commands this service issued: a confirmed `create` moves the
// mailbox from provisioning to active; every result lands in the mailbox history. Results the
// directory published itself (items it settled) match no issued command and are ignored.
// A bulk's results are recorded set-wise (recordProvisioningResults): one statement each for the
// commands, the mailbox locks, the history, the activations and the published states, instead of
// a dozen per result; a single result is a bulk of one. A failed `restore_deleted` (the retained
// mail purged meanwhile) makes the mailbox deleted again as it was (items/undo-failed-restore.ts).
import type { ProvisioningResult } from '@hopthu/shared/events';
import { findIssuedCommands, type IssuedCommand, recordCommandResults } from '../../db/command-repository.ts';
import { insertHistories } from '../../db/history-repository.ts';
import { findMailboxesByIds, setMailboxesState } from '../../db/mailbox-repository.ts';
import type { ChangeContext, Db, DirectoryDeps } from '../deps.ts';
import { undoFailedRestore } from '../items/undo-failed-restore.ts';
import { publishMailboxStates } from './directory-state.ts';

export type ResultOutcome = 'ignored' | 'activated' | 'recorded';

/** In the caller's transaction (`deps.db`: the results consumer's inbox transaction). */
export async function recordProvisioningResult(
  deps: Pick<DirectoryDeps, 'db' | 'clock' | 'newId'>,
  input: { result: ProvisioningResult; correlationId?: string | undefined },
): Promise<ResultOutcome> {
  const ctx = { at: deps.clock.now(), correlationId: input.correlationId };
  return (await recordProvisioningResults(deps.db, [input.result], ctx, deps.newId))[0] ?? 'ignored';
}

/** Records many results (a bulk result) in a fixed number of statements; outcomes in order. */
export async function recordProvisioningResults(
  db: Db,
  results: readonly ProvisioningResult[],
  ctx: Pick<ChangeContext, 'at' | 'correlationId'>,
  /** Given, a failed restore_deleted is undone (its commands need ids); a bulk holds only creates. */
  newId?: DirectoryDeps['newId'],
): Promise<ResultOutcome[]> {
  const commands = await findIssuedCommands(
    db,
    results.filter((r) => /^[0-9a-f-]{36}$/i.test(r.commandId)).map((r) => r.commandId),
  );
  const matched = results.map((result) => {
    const command = /^[0-9a-f-]{36}$/i.test(result.commandId) ? commands.get(result.commandId) : undefined;
    return command && command.mailboxId === result.mailboxId ? { result, command } : null;
  });
  const recorded = matched.filter(
    (m): m is { result: ProvisioningResult; command: IssuedCommand } => m !== null,
  );
  await recordCommandResults(
    db,
    recorded.map(({ result, command }) => ({
      commandId: command.commandId,
      outcome: result.outcome,
      error: result.error ?? null,
    })),
    ctx.at,
  );
  const mailboxes = await findMailboxesByIds(
    db,
    recorded.map((m) => m.command.mailboxId),
    { forUpdate: true },
  );
  await insertHistories(
    db,
    recorded
      .filter(({ command }) => mailboxes.has(command.mailboxId))
      .map(({ result, command }) => ({
        mailboxId: command.mailboxId,
        at: ctx.at,
        change: `${command.action}_${result.outcome}`,
        reason: result.error ?? null,
        requestId: command.requestId,
        itemId: command.itemId,
        actor: 'provisioner',
        details: { commandId: command.commandId, generation: command.generation, attempts: result.attempts },
      })),
  );
  if (newId) {
    for (const { result, command } of recorded) {
      if (command.action !== 'restore_deleted' || result.outcome !== 'failed') continue;
      const input = {
        mailboxId: command.mailboxId,
        generation: command.generation,
        error: result.error ?? null,
      };
      await undoFailedRestore({ db, newId }, input, {
        ...ctx,
        actor: 'provisioner',
        requestId: command.requestId,
        itemId: command.itemId,
        reason: result.error ?? null,
      });
    }
  }
  const activated = new Set<string>();
  const outcomes = matched.map((m): ResultOutcome => {
    const mailbox = m ? mailboxes.get(m.command.mailboxId) : undefined;
    if (!m || !mailbox) return 'ignored';
    const confirmed = m.result.outcome === 'applied' || m.result.outcome === 'skipped';
    if (
      m.command.action === 'create' &&
      confirmed &&
      mailbox.state === 'provisioning' &&
      !activated.has(mailbox.id)
    ) {
      activated.add(mailbox.id);
      return 'activated';
    }
    return 'recorded';
  });
  await setMailboxesState(db, [...activated], 'active', ctx.at);
  await publishMailboxStates(db, [...activated], {
    ...ctx,
    actor: 'provisioner',
    requestId: null,
    itemId: null,
    reason: null,
  });
  return outcomes;
}
