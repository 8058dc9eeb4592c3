// "The province's domains": its primary (where new addresses go) and its alias domains (mail to
// x@alias reaches x@primary; addresses are unique across all of them). listProvinceDomains is the
// one function other parts (import, naming checks) call; publishProvinceState tells directory.v1.
import { buildEvent, Topics } from '@hopthu/shared/events';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import { latestDomainHistoryId, listDomainRows, type ProvinceDomain } from '../../db/domain-repository.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { EVENT_SOURCE } from '../deps.ts';
import { recordCommand } from '../mailboxes/provisioning-commands.ts';

export interface ProvinceDomains {
  province: string;
  primaryDomain: string | null;
  aliasDomains: string[];
  /** Primary first, then the alias domains. */
  domains: string[];
  rows: ProvinceDomain[];
}

/** The province's domains as the directory holds them now (seeded from its policy at start). */
export async function listProvinceDomains(db: Db, province: string): Promise<ProvinceDomains> {
  const rows = await listDomainRows(db, province);
  const primaryDomain = rows.find((r) => r.kind === 'primary')?.domain ?? null;
  const aliasDomains = rows.filter((r) => r.kind === 'alias').map((r) => r.domain);
  return {
    province,
    primaryDomain,
    aliasDomains,
    domains: [...(primaryDomain ? [primaryDomain] : []), ...aliasDomains],
    rows,
  };
}

export async function publishProvinceState(db: Db, province: string, ctx: ChangeContext): Promise<void> {
  const domains = await listProvinceDomains(db, province);
  const key = `province:${province}`;
  await insertOutboxMessage(db, {
    topic: Topics.directory,
    key,
    event: buildEvent(
      'vn.gov.hopthu.directory.province.v1',
      {
        province,
        primaryDomain: domains.primaryDomain ?? '',
        aliasDomains: domains.aliasDomains,
        generation: await latestDomainHistoryId(db, province),
      },
      { source: EVENT_SOURCE, subject: key, correlationId: ctx.correlationId, time: ctx.at },
    ),
  });
}

/** set_alias_domain / remove_alias_domain for the domain's row, under its own generation. */
export async function issueAliasDomainCommand(
  db: Db,
  newId: () => string,
  row: { id: string; domain: string; generation: number },
  change: { action: 'set_alias_domain'; targetDomain: string } | { action: 'remove_alias_domain' },
  ctx: ChangeContext,
): Promise<string> {
  return recordCommand(
    db,
    newId,
    {
      id: row.id,
      generation: row.generation,
      action: change.action,
      address: row.domain,
      domain: row.domain,
    },
    change.action === 'set_alias_domain' ? { targetDomain: change.targetDomain } : {},
    ctx,
    'domain',
  );
}
