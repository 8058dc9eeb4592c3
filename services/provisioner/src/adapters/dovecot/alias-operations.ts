// The Dovecot adapter's aliases and groups (Postfix virtual_alias_maps: vmail.alias with its
// allowed senders) and alias domains (vmail.alias_domain), each ordered by its own generation; an
// address that is a mailbox cannot become an alias, except as its own forward: a row whose targets
// list the mailbox itself (a copy kept) besides where it forwards (set_forward in the directory).
// Postfix reads them at the next message: no reload, no follow-up.
import type { AliasSnapshot, MailServerAdapter } from '../../domain/mail-server-adapter.ts';
import { decideGeneration } from '../../domain/commands/generation.ts';
import { checkedAddress, checkedForwarding, checkedTargets, mailboxNotAlias } from './checked-input.ts';
import { applied, notNewer } from './outcomes.ts';
import {
  deleteVmailAliasDomain,
  deleteVmailAliasEntry,
  ensureVmailDomain,
  findVmailAliasDomain,
  findVmailAliasEntry,
  findVmailMailbox,
  forceVmailAlias,
  type Vmail,
  writeVmailAliasDomain,
  writeVmailAliasEntry,
} from './vmail-repository.ts';
import type { InVmail } from './vmail-transaction.ts';

export type AliasOperations = Pick<
  MailServerAdapter,
  'setAlias' | 'removeAlias' | 'setAliasDomain' | 'removeAliasDomain' | 'getAlias' | 'repairAlias'
>;

export const aliasSnapshot = (row: {
  address: string;
  targets: string[];
  allowedSenders: string[] | null;
  expiresAt: Date | null;
  generation: number;
}): AliasSnapshot => ({
  address: row.address,
  targets: row.targets,
  allowedSenders: row.allowedSenders,
  expiresAt: row.expiresAt,
  generation: row.generation,
});

/** A mailbox's forward: its alias row lists the address itself, so its own delivery stays. */
const isForward = (address: string, targets: readonly string[]) =>
  targets.length > 1 && targets.includes(address.toLowerCase());

export function createAliasOperations(deps: { vmail: Vmail; inVmail: InVmail }): AliasOperations {
  const { vmail, inVmail } = deps;

  return {
    async setAlias(input) {
      const { domain } = checkedAddress(input.address);
      const targets = checkedTargets(input.address, input.targets);
      checkedForwarding(input.address, targets);
      const allowedSenders =
        input.allowedSenders === undefined
          ? null
          : [...new Set(input.allowedSenders.map((a) => a.toLowerCase()))];
      for (const a of allowedSenders ?? []) checkedAddress(a);
      const decision = await inVmail(async (trx) => {
        const row = await findVmailAliasEntry(trx, input.address, { forUpdate: true });
        const d = decideGeneration(row?.generation, input.generation);
        if (d !== 'apply') return d;
        if (!isForward(input.address, targets) && (await findVmailMailbox(trx, input.address)))
          throw mailboxNotAlias(input.address);
        await ensureVmailDomain(trx, domain);
        await writeVmailAliasEntry(trx, {
          address: input.address,
          domain,
          targets,
          allowedSenders,
          expiresAt: input.expiresAt ?? null,
          generation: input.generation,
        });
        return d;
      });
      if (decision === 'apply') return applied();
      return notNewer(decision);
    },

    async removeAlias(input) {
      checkedAddress(input.address);
      const decision = await inVmail(async (trx) => {
        const row = await findVmailAliasEntry(trx, input.address, { forUpdate: true });
        if (!row) return 'absent' as const;
        const d = decideGeneration(row.generation, input.generation);
        if (d === 'apply') await deleteVmailAliasEntry(trx, input.address);
        return d;
      });
      if (decision === 'absent') return applied('alias was not in vmail');
      if (decision === 'apply') return applied();
      return notNewer(decision);
    },

    async setAliasDomain(input) {
      const aliasDomain = input.address.toLowerCase();
      const targetDomain = input.targetDomain.toLowerCase();
      const decision = await inVmail(async (trx) => {
        const row = await findVmailAliasDomain(trx, aliasDomain, { forUpdate: true });
        const d = decideGeneration(row?.generation, input.generation);
        if (d !== 'apply') return d;
        // both must be rows of `domain`: Postfix accepts mail only for those
        await ensureVmailDomain(trx, aliasDomain);
        await ensureVmailDomain(trx, targetDomain);
        await writeVmailAliasDomain(trx, { aliasDomain, targetDomain, generation: input.generation });
        return d;
      });
      if (decision === 'apply') return applied(`${aliasDomain} delivers to ${targetDomain}`);
      return notNewer(decision);
    },

    async removeAliasDomain(input) {
      const aliasDomain = input.address.toLowerCase();
      const decision = await inVmail(async (trx) => {
        const row = await findVmailAliasDomain(trx, aliasDomain, { forUpdate: true });
        if (!row) return 'absent' as const;
        const d = decideGeneration(row.generation, input.generation);
        if (d === 'apply') await deleteVmailAliasDomain(trx, aliasDomain);
        return d;
      });
      if (decision === 'absent') return applied('alias domain was not in vmail');
      if (decision === 'apply') return applied();
      return notNewer(decision);
    },

    async getAlias(address): Promise<AliasSnapshot | null> {
      const row = await findVmailAliasEntry(vmail, address);
      return row ? aliasSnapshot(row) : null;
    },

    async repairAlias(input) {
      const { domain } = checkedAddress(input.address);
      const targets = checkedTargets(input.address, input.targets);
      checkedForwarding(input.address, targets);
      await inVmail(async (trx) => {
        await findVmailAliasEntry(trx, input.address, { forUpdate: true });
        if (!isForward(input.address, targets) && (await findVmailMailbox(trx, input.address)))
          throw mailboxNotAlias(input.address);
        await ensureVmailDomain(trx, domain);
        await forceVmailAlias(trx, { address: input.address, domain, targets, generation: input.generation });
      });
      return applied(`forwards to ${targets.join(', ')}`);
    },
  };
}
