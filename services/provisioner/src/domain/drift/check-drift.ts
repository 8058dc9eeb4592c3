// Drift check: the directory's mailboxes (its published state, replicated from
// hopthu.directory.v1) against the mail server's. Without a domain, the mail server is read only
// for the domains the directory has mailboxes in (tests and other tenants elsewhere are not drift).
import type { Kysely } from 'kysely';
import type { MailboxSnapshot, MailServerAdapter } from '../../adapters/mail-server-adapter.ts';
import { listDirectoryMailboxes } from '../../db/directory-mailbox-repository.ts';
import type { ProvisionerDb } from '../../db/schema.ts';
import { compareMailboxes, type Drift } from './compare-mailboxes.ts';

export interface DriftReport {
  domains: string[];
  directoryMailboxes: number;
  serverMailboxes: number;
  /** Differences per kind (missing, extra, state_mismatch, quota_mismatch). */
  counts: Record<string, number>;
  differences: Drift[];
}

export async function checkDrift(
  deps: { db: Kysely<ProvisionerDb>; adapter: MailServerAdapter },
  input: { domain?: string | undefined },
): Promise<DriftReport & { server: Map<string, MailboxSnapshot> }> {
  const directory = await listDirectoryMailboxes(deps.db, { domain: input.domain });
  const domains = input.domain ? [input.domain] : [...new Set(directory.map((m) => m.domain))].sort();
  const server: MailboxSnapshot[] = [];
  for (const domain of domains) server.push(...(await deps.adapter.listMailboxes({ domain })));
  const differences = compareMailboxes(directory, server);
  const counts: Record<string, number> = {};
  for (const d of differences) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  return {
    domains,
    directoryMailboxes: directory.length,
    serverMailboxes: server.length,
    counts,
    differences,
    server: new Map(server.map((s) => [s.address, s])),
  };
}
