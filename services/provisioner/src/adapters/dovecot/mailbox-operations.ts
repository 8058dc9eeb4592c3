// The Dovecot adapter's mailbox creates and changes: create (one or a batch), password, quota,
// suspend (then doveadm kick: the row change refuses new logins, only kick ends open sessions) and
// restore. Each is one vmail transaction that locks the row and compares generations. Delete and
// rename are in mailbox-moves.ts, the reports and the drift repair in mailbox-drift.ts.
import { PermanentError } from '@hopthu/shared/inbox';
import { decideGeneration } from '../../domain/commands/generation.ts';
import type { AdapterOutcome, MailServerAdapter } from '../../domain/mail-server-adapter.ts';
import { checkedAddress, checkedCreate, notFound } from './checked-input.ts';
import type { DoveadmClient } from './doveadm-client.ts';
import { applied, current, notNewer, skipped } from './outcomes.ts';
import {
  ensureVmailDomain,
  ensureVmailDomains,
  findVmailGenerations,
  findVmailMailbox,
  updateVmailMailbox,
  upsertVmailMailbox,
  upsertVmailMailboxes,
} from './vmail-repository.ts';
import type { InVmail } from './vmail-transaction.ts';

export type MailboxOperations = Pick<
  MailServerAdapter,
  'createMailbox' | 'createMailboxes' | 'setPassword' | 'setQuota' | 'suspendMailbox' | 'restoreMailbox'
>;

export function createMailboxOperations(deps: {
  inVmail: InVmail;
  doveadm: DoveadmClient;
}): MailboxOperations {
  const { inVmail, doveadm } = deps;

  /** The shared shape of set_password, set_quota, suspend and restore. */
  const changeMailbox = async (
    address: string,
    generation: number,
    change: { password?: string; quotaBytes?: number; active?: boolean; passwordChangeRequired?: boolean },
    after?: () => Promise<void>,
  ): Promise<AdapterOutcome> => {
    checkedAddress(address);
    const decision = await inVmail(async (trx) => {
      const row = await findVmailMailbox(trx, address, { forUpdate: true });
      if (!row) throw notFound(address);
      const d = decideGeneration(row.generation, generation);
      if (d === 'apply') await updateVmailMailbox(trx, address, { generation, ...change });
      return d;
    });
    if (decision === 'stale') return skipped('a newer generation is already applied');
    await after?.();
    return decision === 'apply' ? applied() : current('already applied');
  };

  return {
    async createMailbox(input) {
      const { localPart, domain } = checkedCreate(input);
      const decision = await inVmail(async (trx) => {
        const row = await findVmailMailbox(trx, input.address, { forUpdate: true });
        const d = decideGeneration(row?.generation, input.generation);
        if (d !== 'apply') return d;
        await ensureVmailDomain(trx, domain);
        const written = await upsertVmailMailbox(trx, {
          username: input.address,
          domain,
          password: input.passwordHash,
          quotaBytes: input.quotaBytes,
          maildir: `${domain}/${localPart}/`,
          generation: input.generation,
          passwordChangeRequired: input.passwordChangeRequired,
        });
        return written ? 'apply' : 'stale'; // a concurrent writer got a newer generation in first
      });
      if (decision === 'apply') return applied();
      return notNewer(decision);
    },

    async createMailboxes(inputs) {
      const rows = inputs.map((input) => {
        const { localPart, domain } = checkedCreate(input);
        return {
          username: input.address,
          domain,
          password: input.passwordHash,
          quotaBytes: input.quotaBytes,
          maildir: `${domain}/${localPart}/`,
          generation: input.generation,
          passwordChangeRequired: input.passwordChangeRequired,
        };
      });
      if (new Set(rows.map((r) => r.username)).size !== rows.length)
        throw new PermanentError('Một địa chỉ có hai lần trong lô / an address is twice in the batch');
      // one statement for the batch; a row it did not write holds this generation or a newer one
      const decisions = await inVmail(async (trx) => {
        await ensureVmailDomains(
          trx,
          rows.map((r) => r.domain),
        );
        const written = await upsertVmailMailboxes(trx, rows);
        const stored = await findVmailGenerations(
          trx,
          rows.filter((r) => !written.has(r.username)).map((r) => r.username),
        );
        return rows.map((r) =>
          written.has(r.username)
            ? 'apply'
            : decideGeneration(stored.get(r.username) ?? r.generation, r.generation),
        );
      });
      return decisions.map((d) => (d === 'apply' ? applied() : notNewer(d)));
    },

    setPassword: (input) =>
      changeMailbox(input.address, input.generation, {
        password: input.passwordHash,
        passwordChangeRequired: input.passwordChangeRequired ?? false,
      }),

    setQuota: (input) => changeMailbox(input.address, input.generation, { quotaBytes: input.quotaBytes }),

    // the row change refuses new logins; only doveadm kick ends the sessions already open

    suspendMailbox: (input) =>
      changeMailbox(input.address, input.generation, { active: false }, () => doveadm.kick(input.address)),

    // a restore with a password (Kiên Giang's default-password lock) opens under a new issued one

    restoreMailbox: (input) =>
      changeMailbox(input.address, input.generation, {
        active: true,
        ...(input.passwordHash
          ? { password: input.passwordHash, passwordChangeRequired: input.passwordChangeRequired ?? false }
          : {}),
      }),
  };
}
