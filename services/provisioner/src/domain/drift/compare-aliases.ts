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

/** What the directory expects of alias rows: each listed alias's mailbox, and aliases in flight. */
export interface ExpectedAliases {
  /** Alias (lower-cased) → the live record listing it (the last by address when several do). */
  expected: Map<string, DirectoryMailbox>;
  /** Aliases of mailboxes still being provisioned: not judged. */
  inFlight: Set<string>;
}

/** From the aliases the counting records list (byAddress), in order of the listing record's address. */
export function expectedAliases(
  listed: Iterable<{ alias: string; record: DirectoryMailbox }>,
): ExpectedAliases {
  const out: ExpectedAliases = { expected: new Map(), inFlight: new Set() };
  for (const { alias, record } of listed) {
    if (record.state === 'provisioning') out.inFlight.add(alias.toLowerCase());
    else if (record.state !== 'deleted') out.expected.set(alias.toLowerCase(), record);
  }
  return out;
}

/** The targets whose directory record compareAliasRows needs: of single-target rows nobody lists. */
export function unlistedTargets(want: ExpectedAliases, server: readonly AliasSnapshot[]): string[] {
  return server
    .filter((s) => !want.expected.has(s.address) && !want.inFlight.has(s.address) && !isGroup(s))
    .map((s) => s.targets[0] ?? '');
}

export function compareAliases(
  directory: DirectoryMailbox[],
  server: AliasSnapshot[],
  now: Date,
): AliasDrift[] {
  const records = byAddress(directory);
  const want = expectedAliases(
    [...records.values()].flatMap((record) => record.aliases.map((alias) => ({ alias, record }))),
  );
  return compareAliasRows(want, server, (address) => records.get(address), now);
}

/**
 * The alias rules on part of the addresses (the drift check's windows): `server` holds every alias
 * row the mail server has among the aliases `want` covers; `recordOf` answers the record that
 * counts for a target address (as byAddress), for the targets unlistedTargets names.
 */
export function compareAliasRows(
  want: ExpectedAliases,
  server: readonly AliasSnapshot[],
  recordOf: (address: string) => DirectoryMailbox | undefined,
  now: Date,
): AliasDrift[] {
  const { expected, inFlight } = want;
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
    const record = recordOf(target);
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
