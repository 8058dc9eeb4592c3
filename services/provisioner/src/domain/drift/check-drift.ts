// Drift check: the directory's mailboxes, their aliases and forwards (its published state,
// replicated from hopthu.directory.v1) against the mail server's. Without a domain, the mail
// server is read only for the domains the directory has mailboxes in (tests and other tenants
// elsewhere are not drift).
//
// Streamed, so a province of any size is compared in the memory of a few pages: four listings in
// address order — the directory's records by address, the aliases its live records list by
// alias, the mail server's mailboxes and its alias rows by address — each a server-side cursor
// read a page at a time (one read-only snapshot per database, each listing sorted once), are
// merged (merge-windows.ts), and each window of addresses goes through the pure rules
// (compare-mailboxes, compare-forwards, compare-aliases) as if they had the whole lists. Only the
// differences are kept. An alias the mail server forwards to a directory mailbox nobody lists it
// for needs that mailbox's record: looked up per window, for those targets only.
import type { Clock } from '@hopthu/shared/clock';
import type { Kysely } from 'kysely';
import type {
  AliasSnapshot,
  MailboxSnapshot,
  MailServerAdapter,
  MailServerScan,
} from '../mail-server-adapter.ts';
import {
  countListedAliases,
  type DirectoryMailbox,
  type ListedAlias,
  type DirectoryScan,
  listDirectoryDomains,
  openDirectoryScan,
} from '../../db/directory-mailbox-repository.ts';
import type { ProvisionerDb } from '../../db/schema.ts';
import { type AliasDrift, compareAliasRows, expectedAliases, unlistedTargets } from './compare-aliases.ts';
import { compareForwards, type ForwardDrift } from './compare-forwards.ts';
import { compareMailboxes, type Drift } from './compare-mailboxes.ts';
import { mergeWindows, type PagedSource } from './merge-windows.ts';

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

/** Rows read per listing and page. */
export const DRIFT_PAGE_SIZE = 1000;

export async function checkDrift(
  deps: DriftDeps,
  input: { domain?: string | undefined; pageSize?: number },
): Promise<DriftReport> {
  const scope = { domain: input.domain };
  const domains = input.domain ? [input.domain] : await listDirectoryDomains(deps.db);
  const now = deps.clock.now();
  const report: DriftReport = {
    domains,
    directoryMailboxes: 0,
    serverMailboxes: 0,
    directoryAliases: await countListedAliases(deps.db, scope),
    serverAliases: 0,
    counts: {},
    differences: [],
  };
  const directory = await openDirectoryScan(deps.db, scope);
  try {
    const server = await deps.adapter.scan(domains);
    try {
      await compareWindows(
        directory,
        server,
        { domains, now, pageSize: input.pageSize ?? DRIFT_PAGE_SIZE },
        report,
      );
    } finally {
      await server.close();
    }
  } finally {
    await directory.close();
  }
  report.differences.sort((a, b) => a.address.localeCompare(b.address) || a.kind.localeCompare(b.kind));
  for (const d of report.differences) report.counts[d.kind] = (report.counts[d.kind] ?? 0) + 1;
  return report;
}

async function compareWindows(
  directory: DirectoryScan,
  server: MailServerScan,
  run: { domains: readonly string[]; now: Date; pageSize: number },
  report: DriftReport,
): Promise<void> {
  const { domains, now } = run;
  const records: PagedSource<DirectoryMailbox> = {
    key: (r) => r.address,
    next: (_, n) => directory.records(n),
  };
  const listed: PagedSource<ListedAlias> = {
    key: (l) => l.alias,
    next: (_, n) => directory.listedAliases(n),
  };
  const mailboxes: PagedSource<MailboxSnapshot> = {
    key: (m) => m.address,
    next: (_, n) => server.mailboxes(n),
  };
  const aliases: PagedSource<AliasSnapshot> = { key: (a) => a.address, next: (_, n) => server.aliases(n) };
  const windows = mergeWindows([records, listed, mailboxes, aliases] as const, run.pageSize);
  for await (const [recordRows, listedRows, mailboxRows, aliasRows] of windows) {
    report.directoryMailboxes += recordRows.length;
    report.serverMailboxes += mailboxRows.length;
    // a listed alias in a domain not read (e.g. the old address of a move to another domain)
    const elsewhere: AliasSnapshot[] = [];
    for (const alias of new Set(listedRows.map((l) => l.alias))) {
      if (domains.includes(alias.split('@')[1] ?? '')) continue;
      const found = await server.alias(alias);
      if (found) elsewhere.push(found);
    }
    const serverAliases = [...aliasRows, ...elsewhere];
    report.serverAliases += serverAliases.length;
    const want = expectedAliases(listedRows.filter((l) => l.counts));
    const targets = await directory.countingRecords(unlistedTargets(want, serverAliases));
    report.differences.push(
      ...compareMailboxes(recordRows, mailboxRows),
      ...compareForwards(recordRows, aliasRows),
      ...compareAliasRows(want, serverAliases, (address) => targets.get(address), now),
    );
  }
}
