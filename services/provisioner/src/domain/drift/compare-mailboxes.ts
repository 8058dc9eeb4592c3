// The drift rules: what vmail should hold for each mailbox of the directory, and every way it
// differs. Pure; check-drift.ts feeds it, repair-drift.ts acts on its answer.
import type { MailboxSnapshot } from '../mail-server-adapter.ts';
import type { DirectoryMailbox } from '../../db/directory-mailbox-repository.ts';

export type Drift =
  /** The directory has the mailbox (active, suspended or locked); the mail server does not. */
  | {
      kind: 'missing';
      address: string;
      mailboxId: string;
      expected: { active: boolean; quotaBytes: number };
      generation: number;
    }
  /** The mail server has a mailbox the directory has deleted, or does not know at all. */
  | {
      kind: 'extra';
      address: string;
      mailboxId: string | null;
      reason: 'deleted_in_directory' | 'unknown_to_directory';
      /** Only a mailbox the directory deleted is removed by a repair; an unknown one needs a person. */
      repairable: boolean;
      generation: number;
    }
  | {
      kind: 'state_mismatch';
      address: string;
      mailboxId: string;
      expected: { active: boolean };
      actual: { active: boolean };
      generation: number;
    }
  | {
      kind: 'quota_mismatch';
      address: string;
      mailboxId: string;
      expected: { quotaBytes: number };
      actual: { quotaBytes: number };
      generation: number;
    };

/** Whether the directory's state means an active row, an inactive row, no row, or "in flight". */
export function expectedActive(state: DirectoryMailbox['state']): boolean | 'absent' | 'in_flight' {
  switch (state) {
    case 'active':
      return true;
    case 'suspended':
    case 'locked':
      return false;
    case 'deleted':
      return 'absent';
    case 'provisioning':
      return 'in_flight';
  }
}

/** Per address, the record that counts: a live one over a deleted one, then the newest generation. */
export function byAddress(directory: DirectoryMailbox[]): Map<string, DirectoryMailbox> {
  const out = new Map<string, DirectoryMailbox>();
  for (const m of directory) {
    const seen = out.get(m.address);
    const live = (x: DirectoryMailbox) => (x.state === 'deleted' ? 0 : 1);
    if (!seen || live(m) > live(seen) || (live(m) === live(seen) && m.generation > seen.generation)) {
      out.set(m.address, m);
    }
  }
  return out;
}

export function compareMailboxes(directory: DirectoryMailbox[], server: MailboxSnapshot[]): Drift[] {
  const expected = byAddress(directory);
  const actual = new Map(server.map((s) => [s.address, s]));
  const drifts: Drift[] = [];
  for (const [address, d] of expected) {
    const want = expectedActive(d.state);
    if (want === 'in_flight') continue;
    const have = actual.get(address);
    if (want === 'absent') {
      if (have) {
        drifts.push({
          kind: 'extra',
          address,
          mailboxId: d.mailboxId,
          reason: 'deleted_in_directory',
          repairable: true,
          generation: d.generation,
        });
      }
      continue;
    }
    const base = { address, mailboxId: d.mailboxId, generation: d.generation };
    if (!have) {
      drifts.push({ kind: 'missing', ...base, expected: { active: want, quotaBytes: d.quotaBytes } });
      continue;
    }
    if (have.active !== want) {
      drifts.push({
        kind: 'state_mismatch',
        ...base,
        expected: { active: want },
        actual: { active: have.active },
      });
    }
    if (have.quotaBytes !== d.quotaBytes) {
      drifts.push({
        kind: 'quota_mismatch',
        ...base,
        expected: { quotaBytes: d.quotaBytes },
        actual: { quotaBytes: have.quotaBytes },
      });
    }
  }
  for (const [address, s] of actual) {
    if (!expected.has(address)) {
      drifts.push({
        kind: 'extra',
        address,
        mailboxId: null,
        reason: 'unknown_to_directory',
        repairable: false,
        generation: s.generation,
      });
    }
  }
  return drifts.sort((a, b) => a.address.localeCompare(b.address) || a.kind.localeCompare(b.kind));
}
