// The provisioner's answer to a bulk command: its results recorded set-wise, each as if it came
// alone (a confirmed create activates its mailbox and publishes its state). A mailbox imported as
// suspended or locked then takes that state the usual way: generation + 1, history, a `suspend`
// command (logins refused, mail kept) and its state published — one statement each per bulk.
import type { ProvisioningBulkResult } from '@hopthu/shared/events';
import { findImportTargetStates } from '../../db/import-repository.ts';
import { findMailboxesByIds, type Mailbox, setMailboxesState } from '../../db/mailbox-repository.ts';
import type { ChangeContext, DirectoryDeps } from '../deps.ts';
import { recordMailboxChanges } from '../mailboxes/record-mailbox-change.ts';
import { recordProvisioningResults } from '../mailboxes/record-provisioning-result.ts';
import { IMPORT_ACTOR } from './run-import.ts';

/** In the caller's transaction (`deps.db`: the results consumer's inbox transaction). */
export async function recordBulkProvisioningResult(
  deps: Pick<DirectoryDeps, 'db' | 'newId' | 'clock'>,
  input: { bulk: ProvisioningBulkResult; correlationId?: string | undefined },
): Promise<{ activated: number; recorded: number; ignored: number }> {
  const { db, newId } = deps;
  const { bulk } = input;
  const ctx: Pick<ChangeContext, 'at' | 'correlationId'> = {
    at: deps.clock.now(),
    correlationId: input.correlationId,
  };
  const counts = { activated: 0, recorded: 0, ignored: 0 };
  const outcomes = await recordProvisioningResults(db, bulk.results, ctx);
  const activated: string[] = [];
  for (const [i, outcome] of outcomes.entries()) {
    counts[outcome]++;
    const result = bulk.results[i];
    if (outcome === 'activated' && result) activated.push(result.mailboxId);
  }
  const targets = await findImportTargetStates(db, activated);
  if (targets.size === 0) return counts;
  const mailboxes = await findMailboxesByIds(db, [...targets.keys()], { forUpdate: true });
  for (const target of ['suspended', 'locked'] as const) {
    const due = [...targets]
      .filter(([id, state]) => state === target && mailboxes.get(id)?.state === 'active')
      .map(([id]) => mailboxes.get(id) as Mailbox);
    if (due.length === 0) continue;
    const full: ChangeContext = {
      ...ctx,
      actor: IMPORT_ACTOR,
      requestId: null,
      itemId: null,
      reason: `imported as ${target}`,
    };
    await setMailboxesState(
      db,
      due.map((m) => m.id),
      target,
      ctx.at,
      { bumpGeneration: true },
    );
    await recordMailboxChanges(
      { db, newId },
      due.map((m) => ({
        mailbox: { ...m, generation: m.generation + 1 },
        history: { change: target, details: { importedState: target } },
        command: { action: 'suspend' },
      })),
      full,
    );
  }
  return counts;
}
