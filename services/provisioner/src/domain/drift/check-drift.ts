// Drift check: the directory's mailboxes, their aliases and forwards (its published state, replicated from
// hopthu.directory.v1) against the mail server's. Without a domain, the mail server is read only
// for the domains the directory has mailboxes in (tests and other tenants elsewhere are not drift).
import type { Clock } from '@hopthu/shared/clock';
import type { Kysely } from 'kysely';
import type { AliasSnapshot, MailboxSnapshot, MailServerAdapter } from '../mail-server-adapter.ts';
import { listDirectoryMailboxes } from '../../db/directory-mailbox-repository.ts';
import type { ProvisionerDb } from '../../db/schema.ts';
import { type AliasDrift, compareAliases } from './compare-aliases.ts';
import { compareForwards, type ForwardDrift } from './compare-forwards.ts';
import { compareMailboxes, type Drift } from './compare-mailboxes.ts';

export interface DriftReport {
  domains: string[];
  directoryMailboxes: number;
  serverMailboxes: number;
  /** Aliases the directory lists for its live mailboxes, and alias rows read from the mail server. */
  directoryAliases: number;
  serverAliases: number;
  /** Differences per kind (missing, extra, state_mismatch, quota_mismatch, alias_…). */
  counts: Record<string, number>;
  differences: (Drift | AliasDrift | ForwardDrift)[];
}

export type DriftDeps = { db: Kysely<ProvisionerDb>; adapter: MailServerAdapter; clock: Clock };

export async function checkDrift(
  deps: DriftDeps,
  input: { domain?: string | undefined },
): Promise<DriftReport & { server: Map<string, MailboxSnapshot> }> {
  const directory = await listDirectoryMailboxes(deps.db, { domain: input.domain });
  const domains = input.domain ? [input.domain] : [...new Set(directory.map((m) => m.domain))].sort();
  const server: MailboxSnapshot[] = [];
  const aliases: AliasSnapshot[] = [];
  for (const domain of domains) {
    server.push(...(await deps.adapter.listMailboxes({ domain })));
    aliases.push(...(await deps.adapter.listAliases({ domain })));
  }
  // a listed alias in a domain not read above (e.g. the old address of a move to another domain)
  const listed = directory.filter((m) => m.state !== 'deleted').flatMap((m) => m.aliases);
  for (const address of new Set(listed.map((a) => a.toLowerCase()))) {
    if (domains.includes(address.split('@')[1] ?? '')) continue;
    const found = await deps.adapter.getAlias(address);
    if (found) aliases.push(found);
  }
  const differences = [
    ...compareMailboxes(directory, server),
    ...compareAliases(directory, aliases, deps.clock.now()),
    ...compareForwards(directory, aliases),
  ].sort((a, b) => a.address.localeCompare(b.address) || a.kind.localeCompare(b.kind));
  const counts: Record<string, number> = {};
  for (const d of differences) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  return {
    domains,
    directoryMailboxes: directory.length,
    serverMailboxes: server.length,
    directoryAliases: listed.length,
    serverAliases: aliases.length,
    counts,
    differences,
    server: new Map(server.map((s) => [s.address, s])),
  };
}
