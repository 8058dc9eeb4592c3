// At start: every province the naming registry knows gets its primary domain and the alias domains
// its policy lists, unless the directory already holds that domain (operators' later changes and
// mergers win over the policy file, which is only the initial set). New alias domains go to the
// mail server; the province's state is published when something was added.
import { getPolicy, listPolicies, type ProvincePolicy } from '@hopthu/naming';
import { findDomainRow, insertDomainHistory, insertDomainIfNew } from '../../db/domain-repository.ts';
import type { ChangeContext, DirectoryDeps } from '../deps.ts';
import { issueAliasDomainCommand, listProvinceDomains, publishProvinceState } from './province-domains.ts';

/** The alias domains a policy lists (absent in policies that predate them). */
export function policyAliasDomains(policy: ProvincePolicy): readonly string[] {
  return (policy as { aliasDomains?: readonly string[] }).aliasDomains ?? [];
}

export async function seedProvinceDomains(
  deps: Pick<DirectoryDeps, 'db' | 'clock' | 'newId'>,
  policies: readonly ProvincePolicy[] = listPolicies(),
): Promise<number> {
  let added = 0;
  for (const policy of policies) {
    added += await deps.db.transaction().execute(async (trx) => {
      const at = deps.clock.now();
      const ctx: ChangeContext = {
        at,
        actor: 'policy',
        requestId: null,
        itemId: null,
        reason: `${policy.name}: ${policy.instrument}`,
      };
      let here = 0;
      const seed = async (domain: string, kind: 'primary' | 'alias') => {
        if (await findDomainRow(trx, domain)) return;
        const row = { id: deps.newId(), province: policy.id, domain, kind, generation: 1 };
        if (kind === 'primary' && (await listProvinceDomains(trx, policy.id)).primaryDomain) return;
        if (!(await insertDomainIfNew(trx, { ...row, addedAt: at, addedBy: 'policy', reason: ctx.reason })))
          return;
        await insertDomainHistory(trx, {
          province: policy.id,
          domain,
          change: kind === 'primary' ? 'seeded_primary' : 'seeded_alias',
          at,
          actor: 'policy',
          reason: ctx.reason,
        });
        if (kind === 'alias') {
          await issueAliasDomainCommand(
            trx,
            deps.newId,
            row,
            { action: 'set_alias_domain', targetDomain: policy.domain },
            ctx,
          );
        }
        here++;
      };
      await seed(policy.domain, 'primary');
      for (const alias of policyAliasDomains(policy)) await seed(alias, 'alias');
      if (here > 0) await publishProvinceState(trx, policy.id, ctx);
      return here;
    });
  }
  return added;
}

/** The primary domain of a province: the directory's row, else its policy's. */
export async function primaryDomainOf(deps: Pick<DirectoryDeps, 'db'>, province: string): Promise<string> {
  return (await listProvinceDomains(deps.db, province)).primaryDomain ?? getPolicy(province).domain;
}
