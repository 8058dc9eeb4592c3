// Operators add and remove a province's alias domains (e.g. bacgiang.gov.vn for Bắc Ninh after the
// merger), with who and why kept in the province's domain history. Each change goes to the mail
// server as set_alias_domain / remove_alias_domain and to directory.v1 as the province's state.
import { getPolicy, isNamingError } from '@hopthu/naming';
import { AppError } from '@hopthu/shared/errors';
import {
  deleteDomainRow,
  findCrossDomainClashes,
  findDomainRow,
  insertDomainHistory,
  insertDomainIfNew,
  listDomainHistory,
} from '../../db/domain-repository.ts';
import type { ChangeContext, DirectoryDeps } from '../deps.ts';
import {
  issueAliasDomainCommand,
  listProvinceDomains,
  type ProvinceDomains,
  publishProvinceState,
} from './province-domains.ts';

const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/;

export interface AliasDomainChange {
  province: string;
  domain: string;
  operator: string;
  reason: string;
}

function knownProvince(province: string) {
  try {
    return getPolicy(province);
  } catch (error) {
    if (isNamingError(error)) {
      throw new AppError('not_found', { vi: `Không có tỉnh "${province}"`, en: `No province "${province}"` });
    }
    throw error;
  }
}

function checkedDomain(domain: string): string {
  const d = domain.trim().toLowerCase();
  if (!DOMAIN.test(d) || d.length > 253) {
    throw new AppError(
      'validation_failed',
      { vi: 'Tên miền không hợp lệ', en: 'Invalid domain' },
      {
        errors: [
          {
            field: '/domain',
            message: { vi: `"${domain}" không phải tên miền`, en: `"${domain}" is not a domain name` },
          },
        ],
      },
    );
  }
  return d;
}

export async function addAliasDomain(deps: DirectoryDeps, input: AliasDomainChange) {
  knownProvince(input.province);
  const domain = checkedDomain(input.domain);
  return deps.db.transaction().execute(async (trx) => {
    const at = deps.clock.now();
    const existing = await findDomainRow(trx, domain, { forUpdate: true });
    if (existing) {
      if (existing.province === input.province && existing.kind === 'alias') {
        return { created: false, ...view(await listProvinceDomains(trx, input.province)) };
      }
      throw new AppError('conflict', {
        vi: `Tên miền ${domain} đã thuộc tỉnh ${existing.province} (${existing.kind === 'primary' ? 'tên miền chính' : 'tên miền bí danh'})`,
        en: `The domain ${domain} already belongs to ${existing.province} (${existing.kind})`,
      });
    }
    const domains = await listProvinceDomains(trx, input.province);
    if (!domains.primaryDomain) {
      throw new AppError('conflict', {
        vi: `Tỉnh ${input.province} chưa có tên miền chính`,
        en: `The province ${input.province} has no primary domain`,
      });
    }
    // addresses are unique across a province's domains: the new domain must not bring a clash
    const clashes = await findCrossDomainClashes(trx, domain, domains.domains);
    if (clashes.length > 0) {
      throw new AppError(
        'conflict',
        {
          vi: `Các địa chỉ này trùng tên với địa chỉ đã có của tỉnh: ${clashes.join(', ')}`,
          en: `These addresses clash with the province's existing ones: ${clashes.join(', ')}`,
        },
        {
          errors: clashes.map((a) => ({
            field: '/domain',
            message: { vi: `${a} trùng`, en: `${a} clashes` },
          })),
        },
      );
    }
    const row = { id: deps.newId(), province: input.province, domain, kind: 'alias' as const, generation: 1 };
    await insertDomainIfNew(trx, { ...row, addedAt: at, addedBy: input.operator, reason: input.reason });
    const ctx: ChangeContext = {
      at,
      actor: input.operator,
      requestId: null,
      itemId: null,
      reason: input.reason,
    };
    await insertDomainHistory(trx, {
      province: input.province,
      domain,
      change: 'alias_added',
      at,
      actor: input.operator,
      reason: input.reason,
    });
    await issueAliasDomainCommand(
      trx,
      deps.newId,
      row,
      { action: 'set_alias_domain', targetDomain: domains.primaryDomain },
      ctx,
    );
    await publishProvinceState(trx, input.province, ctx);
    deps.logger.info({ province: input.province, domain, operator: input.operator }, 'alias domain added');
    return { created: true, ...view(await listProvinceDomains(trx, input.province)) };
  });
}

export async function removeAliasDomain(deps: DirectoryDeps, input: AliasDomainChange) {
  knownProvince(input.province);
  const domain = checkedDomain(input.domain);
  return deps.db.transaction().execute(async (trx) => {
    const at = deps.clock.now();
    const existing = await findDomainRow(trx, domain, { forUpdate: true });
    if (!existing || existing.province !== input.province || existing.kind !== 'alias') {
      throw new AppError('not_found', {
        vi: `${domain} không phải tên miền bí danh của tỉnh ${input.province}`,
        en: `${domain} is not an alias domain of ${input.province}`,
      });
    }
    await deleteDomainRow(trx, domain);
    const ctx: ChangeContext = {
      at,
      actor: input.operator,
      requestId: null,
      itemId: null,
      reason: input.reason,
    };
    await insertDomainHistory(trx, {
      province: input.province,
      domain,
      change: 'alias_removed',
      at,
      actor: input.operator,
      reason: input.reason,
    });
    await issueAliasDomainCommand(
      trx,
      deps.newId,
      { id: existing.id, domain, generation: existing.generation + 1 },
      { action: 'remove_alias_domain' },
      ctx,
    );
    await publishProvinceState(trx, input.province, ctx);
    deps.logger.info({ province: input.province, domain, operator: input.operator }, 'alias domain removed');
    return { removed: true, ...view(await listProvinceDomains(trx, input.province)) };
  });
}

const view = (d: ProvinceDomains) => ({
  province: d.province,
  primaryDomain: d.primaryDomain,
  aliasDomains: d.aliasDomains,
  domains: d.domains,
});

export async function describeProvinceDomains(deps: Pick<DirectoryDeps, 'db'>, province: string) {
  knownProvince(province);
  return {
    ...view(await listProvinceDomains(deps.db, province)),
    history: await listDomainHistory(deps.db, province),
  };
}
