// Dispatches one provisioning command to the adapter method for its action.
import type { ProvisioningCommand } from '@hopthu/shared/events';
import { PermanentError } from '@hopthu/shared/inbox';
import type { AdapterOutcome, MailServerAdapter } from '../mail-server-adapter.ts';

export function runOnMailServer(adapter: MailServerAdapter, c: ProvisioningCommand): Promise<AdapterOutcome> {
  const target = { address: c.address, generation: c.generation };
  switch (c.action) {
    case 'create':
      return adapter.createMailbox({
        ...target,
        domain: c.domain,
        passwordHash: c.passwordHash ?? '',
        quotaBytes: c.quotaBytes ?? 0,
        passwordChangeRequired: c.passwordChangeRequired,
      });
    case 'set_password':
      return adapter.setPassword({
        ...target,
        passwordHash: c.passwordHash ?? '',
        passwordChangeRequired: c.passwordChangeRequired,
      });
    case 'set_quota':
      return adapter.setQuota({ ...target, quotaBytes: c.quotaBytes ?? 0 });
    case 'suspend':
      return adapter.suspendMailbox(target);
    case 'restore':
      return adapter.restoreMailbox({
        ...target,
        passwordHash: c.passwordHash,
        passwordChangeRequired: c.passwordChangeRequired,
      });
    case 'restore_deleted':
      return adapter.restoreDeletedMailbox({
        ...target,
        domain: c.domain,
        passwordHash: c.passwordHash ?? '',
        quotaBytes: c.quotaBytes ?? 0,
        passwordChangeRequired: c.passwordChangeRequired,
      });
    case 'delete':
      return adapter.deleteMailbox(target);
    case 'rename':
      return adapter.renameMailbox({
        ...target,
        newAddress: c.newAddress ?? '',
        aliasExpiresAt: c.aliasExpiresAt ? new Date(c.aliasExpiresAt) : null,
      });
    case 'set_alias':
      return adapter.setAlias({
        ...target,
        targets: c.aliasTargets ?? [],
        allowedSenders: c.allowedSenders,
        expiresAt: c.aliasExpiresAt ? new Date(c.aliasExpiresAt) : null,
      });
    case 'remove_alias':
      return adapter.removeAlias(target);
    case 'set_alias_domain':
      if (!adapter.setAliasDomain) return Promise.reject(noAliasDomains(adapter));
      return adapter.setAliasDomain({ ...target, targetDomain: c.targetDomain ?? '' });
    case 'remove_alias_domain':
      if (!adapter.removeAliasDomain) return Promise.reject(noAliasDomains(adapter));
      return adapter.removeAliasDomain(target);
  }
}

const noAliasDomains = (adapter: MailServerAdapter) =>
  new PermanentError(
    `Máy chủ thư ${adapter.name} không hỗ trợ tên miền bí danh / the ${adapter.name} mail server adapter has no alias domains`,
  );
