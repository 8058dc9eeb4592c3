// How a batch of events is cut for set-wise work: consecutive create commands form a run applied
// together (apply-create-commands.ts), everything else goes alone, in order. A run never holds two
// commands of one mailbox, one command id twice or one address twice (those are judged one after
// the other, as if they came alone), so per-mailbox order and every answer stay as one at a time.
import type { ProvisioningCommand } from '@hopthu/shared/events';

export type CommandRun<T> = { kind: 'creates'; items: T[] } | { kind: 'one'; item: T };

/** `commandOf` answers the create command an item carries, or null for anything else. */
export function cutCreateRuns<T>(
  items: readonly T[],
  commandOf: (item: T) => ProvisioningCommand | null,
): CommandRun<T>[] {
  const runs: CommandRun<T>[] = [];
  let run: T[] = [];
  const seen = new Set<string>();
  const close = () => {
    if (run.length > 0) runs.push({ kind: 'creates', items: run });
    run = [];
    seen.clear();
  };
  for (const item of items) {
    const command = commandOf(item);
    if (command === null || command.action !== 'create') {
      close();
      runs.push({ kind: 'one', item });
      continue;
    }
    const keys = [`m:${command.mailboxId}`, `c:${command.commandId}`, `a:${command.address.toLowerCase()}`];
    if (keys.some((k) => seen.has(k))) close();
    run.push(item);
    for (const k of keys) seen.add(k);
  }
  close();
  return runs;
}
