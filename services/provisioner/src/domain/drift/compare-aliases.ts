// The drift rules for aliases that forward to one mailbox: the directory publishes each mailbox's
// live aliases (`aliases` in its state on hopthu.directory.v1); vmail should hold each as an alias
// row forwarding to that mailbox, live, and no other single-target alias forwarding to a mailbox
// the directory knows. Group addresses (several targets, or restricted senders) are not compared:
// the directory does not publish their members. Pure; check-drift.ts feeds it.
import type { AliasSnapshot } from '../mail-server-adapter.ts';
import type { DirectoryMailbox } from '../../db/directory-mailbox-repository.ts';
import { byAddress } from './compare-mailboxes.ts';

export type AliasDrift =
  /** The directory lists the alias for a mailbox; vmail has no row for it. */
  | {
      kind: 'alias_missing';
      address: string;
      mailboxAddress: string;
      mailboxId: string;
      repairable: true;
    }
  /** vmail has the alias, but it forwards somewhere else (or it is a group: not repaired). */
  | {
      kind: 'alias_target_mismatch';
      address: string;
      mailboxAddress: string;
      mailboxId: string;
      actual: { targets: string[]; group: boolean };
      repairable: boolean;
      generation: number;
    }
  /** vmail forwards the address to a directory mailbox that does not list it (or was deleted). */
  | {
      kind: 'alias_extra';
      address: string;
      target: string;
      mailboxId: string;
      reason: 'not_listed' | 'mailbox_deleted';
      repairable: true;
      generation: number;
    }
  /**
   * vmail's row has expired (Postfix ignores it, mail to it bounces). Listed by the directory: not
   * repaired (its published state carries no expiry date, so the directory may well consider it
   * expired too and only not have republished); not listed: a dead row, removed by a repair.
   */
  | {
      kind: 'alias_expired';
      address: string;
      target: string;
      mailboxId: string;
      expiresAt: string;
      listed: boolean;
      repairable: boolean;
      generation: number;
    };

const isGroup = (s: AliasSnapshot) => s.targets.length !== 1 || s.allowedSenders !== null;
const isExpired = (s: AliasSnapshot, now: Date) => s.expiresAt !== null && s.expiresAt <= now;

export function compareAliases(
  directory: DirectoryMailbox[],
  server: AliasSnapshot[],
  now: Date,
): AliasDrift[] {
  const records = byAddress(directory);
  const expected = new Map<string, DirectoryMailbox>();
  const inFlight = new Set<string>();
  for (const m of records.values()) {
    if (m.state === 'provisioning') {
      for (const a of m.aliases) inFlight.add(a.toLowerCase());
    } else if (m.state !== 'deleted') {
      for (const a of m.aliases) expected.set(a.toLowerCase(), m);
    }
  }
  const actual = new Map(server.map((s) => [s.address, s]));
  const drifts: AliasDrift[] = [];

  for (const [address, m] of expected) {
    const s = actual.get(address);
    const base = { address, mailboxAddress: m.address, mailboxId: m.mailboxId };
    if (!s) {
      drifts.push({ kind: 'alias_missing', ...base, repairable: true });
    } else if (isGroup(s) || s.targets[0] !== m.address) {
      drifts.push({
        kind: 'alias_target_mismatch',
        ...base,
        actual: { targets: s.targets, group: isGroup(s) },
        // a group on the address is the directory's own doing elsewhere: a person decides
        repairable: !isGroup(s),
        generation: s.generation,
      });
    } else if (isExpired(s, now)) {
      drifts.push({
        kind: 'alias_expired',
        address,
        target: m.address,
        mailboxId: m.mailboxId,
        expiresAt: (s.expiresAt as Date).toISOString(),
        listed: true,
        repairable: false,
        generation: s.generation,
      });
    }
  }

  for (const s of server) {
    if (expected.has(s.address) || inFlight.has(s.address) || isGroup(s)) continue;
    const target = s.targets[0] ?? '';
    const record = records.get(target);
    // forwarding to an address the directory does not know, or one in flight: not ours to judge
    if (!record || record.state === 'provisioning') continue;
    if (isExpired(s, now)) {
      drifts.push({
        kind: 'alias_expired',
        address: s.address,
        target,
        mailboxId: record.mailboxId,
        expiresAt: (s.expiresAt as Date).toISOString(),
        listed: false,
        repairable: true,
        generation: s.generation,
      });
    } else {
      drifts.push({
        kind: 'alias_extra',
        address: s.address,
        target,
        mailboxId: record.mailboxId,
        reason: record.state === 'deleted' ? 'mailbox_deleted' : 'not_listed',
        repairable: true,
        generation: s.generation,
      });
    }
  }
  return drifts.sort((a, b) => a.address.localeCompare(b.address) || a.kind.localeCompare(b.kind));
}
