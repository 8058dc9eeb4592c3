// Dispatches one provisioning command to the adapter method for its action, or many creates to
// the adapter's createMailboxes at once (a bulk command's, a run of create commands').
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
        forwardTo: c.forwardTo,
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

/**
 * The outcome a command is answered with: `skipped` with the server holding exactly this
 * generation means an earlier attempt of this very command made the change (a crash or a failed
 * follow-up before our commit), so it is answered `applied`.
 */
export const answeredOutcome = (done: AdapterOutcome): 'applied' | 'skipped' =>
  done.outcome === 'skipped' && done.current ? 'applied' : done.outcome;

/**
 * Creates these mailboxes in one call of the adapter's createMailboxes (one vmail transaction, one
 * statement), each outcome in order exactly as runOnMailServer's; null when it cannot: the adapter
 * has no createMailboxes, there are fewer than two, or one of them is invalid (PermanentError, and
 * nothing was written), so the caller goes one by one and only that one fails. Addresses must be
 * distinct.
 */
export async function createAllOnMailServer(
  adapter: MailServerAdapter,
  commands: readonly ProvisioningCommand[],
): Promise<AdapterOutcome[] | null> {
  if (!adapter.createMailboxes || commands.length < 2) return null;
  try {
    return await adapter.createMailboxes(
      commands.map((c) => ({
        address: c.address,
        generation: c.generation,
        domain: c.domain,
        passwordHash: c.passwordHash ?? '',
        quotaBytes: c.quotaBytes ?? 0,
        passwordChangeRequired: c.passwordChangeRequired,
      })),
    );
  } catch (error) {
    if (error instanceof PermanentError) return null;
    throw error;
  }
}
