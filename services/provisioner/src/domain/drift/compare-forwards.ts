// The drift rules for a mailbox's forward (set_forward in the directory): its published state's
// `forwardTo` should be an alias row on the mailbox's own address whose targets are the address
// itself (the copy kept) and the target, and a row on a directory mailbox's address that lists the
// address itself is a forward the directory must know. Other aliases and groups are compare-aliases'.
// Pure; check-drift.ts feeds it. A repair writes the row through the adapter's guard, which still
// refuses a target outside the province where its policy forbids it (Bắc Ninh Điều 8 khoản 5).
import type { DirectoryMailbox } from '../../db/directory-mailbox-repository.ts';
import type { AliasSnapshot } from '../mail-server-adapter.ts';
import { byAddress } from './compare-mailboxes.ts';

export type ForwardDrift =
  /** The directory forwards the mailbox; vmail has no forward row, or one with other targets. */
  | {
      kind: 'forward_mismatch';
      address: string;
      mailboxId: string;
      expected: string[];
      actual: string[] | null;
      repairable: true;
    }
  /** vmail forwards a directory mailbox the directory does not forward (or deleted). */
  | {
      kind: 'forward_extra';
      address: string;
      mailboxId: string;
      actual: string[];
      reason: 'not_forwarded' | 'mailbox_deleted';
      repairable: true;
      generation: number;
    };

/** A forward row: on a mailbox's address, listing the address itself besides another target. */
export const isForwardRow = (s: AliasSnapshot) => s.targets.length > 1 && s.targets.includes(s.address);

const sameTargets = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

export function compareForwards(directory: DirectoryMailbox[], server: AliasSnapshot[]): ForwardDrift[] {
  const records = byAddress(directory);
  const actual = new Map(server.map((s) => [s.address, s]));
  const drifts: ForwardDrift[] = [];
  for (const m of records.values()) {
    if (!m.forwardTo || m.state === 'deleted' || m.state === 'provisioning') continue;
    const expected = [m.address, m.forwardTo.toLowerCase()];
    const s = actual.get(m.address);
    if (s && sameTargets(s.targets, expected)) continue;
    drifts.push({
      kind: 'forward_mismatch',
      address: m.address,
      mailboxId: m.mailboxId,
      expected,
      actual: s ? s.targets : null,
      repairable: true,
    });
  }
  for (const s of server) {
    if (!isForwardRow(s)) continue;
    const m = records.get(s.address);
    // not a mailbox the directory knows, or one in flight: not ours to judge
    if (!m || m.state === 'provisioning') continue;
    if (m.state !== 'deleted' && m.forwardTo) continue; // compared above
    drifts.push({
      kind: 'forward_extra',
      address: s.address,
      mailboxId: m.mailboxId,
      actual: s.targets,
      reason: m.state === 'deleted' ? 'mailbox_deleted' : 'not_forwarded',
      repairable: true,
      generation: s.generation,
    });
  }
  return drifts;
}
