// The Dovecot adapter's mailbox changes and reads on vmail: create (one or a batch), password,
// quota, suspend and restore, delete (then the maildir into retention), rename (then the maildir
// moved and a transition alias), the drift repair, and the lists the drift check and the
// inactivity rules read. Each change is one vmail transaction that locks the row and compares
// generations; sessions are ended with doveadm kick, which a row change alone does not do.
import type { Clock } from '@hopthu/shared/clock';
import { PermanentError } from '@hopthu/shared/inbox';
import { decideGeneration } from '../../domain/commands/generation.ts';
import { maildirFor } from '../../domain/commands/mail-address.ts';
import type { AdapterOutcome, MailboxSnapshot, MailServerAdapter } from '../../domain/mail-server-adapter.ts';
import { checkedAddress, checkedCreate, notFound } from './checked-input.ts';
import type { DoveadmClient } from './doveadm-client.ts';
import type { MaildirStore } from './maildir-store.ts';
import { applied, current, notNewer, skipped } from './outcomes.ts';
import {
  deleteVmailMailbox,
  ensureVmailDomain,
  ensureVmailDomains,
  findVmailGenerations,
  findVmailMailbox,
  forceVmailMailboxState,
  listVmailLastLogins,
  listVmailMailboxes,
  renameVmailMailbox,
  updateVmailMailbox,
  upsertVmailAlias,
  upsertVmailMailbox,
  upsertVmailMailboxes,
  type Vmail,
} from './vmail-repository.ts';
import type { InVmail } from './vmail-transaction.ts';

export type MailboxOperations = Pick<
  MailServerAdapter,
  | 'createMailbox'
  | 'createMailboxes'
  | 'setPassword'
  | 'setQuota'
  | 'suspendMailbox'
  | 'restoreMailbox'
  | 'deleteMailbox'
  | 'renameMailbox'
  | 'repairMailbox'
  | 'listMailboxes'
  | 'listLastLogins'
  | 'getMailbox'
>;

const DAY_MS = 86_400_000;
/** A crypt value no password matches: a mailbox recreated by a drift repair until its password is reset. */
const LOCKED_PASSWORD = '{CRYPT}!locked-by-drift-repair';

export function createMailboxOperations(deps: {
  vmail: Vmail;
  inVmail: InVmail;
  doveadm: DoveadmClient;
  maildirs: MaildirStore;
  /** How long a renamed mailbox's old address forwards to the new one. */
  renameAliasDays: number;
  clock: Clock;
}): MailboxOperations {
  const { vmail, inVmail, doveadm, maildirs } = deps;

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

    async deleteMailbox(input) {
      checkedAddress(input.address);
      const found = await inVmail(async (trx) => {
        const row = await findVmailMailbox(trx, input.address, { forUpdate: true });
        if (!row) return { decision: 'absent' as const, maildir: maildirFor(input.address) };
        const d = decideGeneration(row.generation, input.generation);
        if (d === 'apply') await deleteVmailMailbox(trx, input.address);
        return { decision: d, maildir: row.maildir };
      });
      if (found.decision === 'stale') return skipped('a newer generation is already applied');
      // after the commit: nobody can log in again, so ending sessions and moving mail is final.
      // Dovecot never deletes mail files itself.
      await doveadm.kick(input.address);
      const note = await maildirs.retain(found.maildir, input.address, input.generation);
      if (found.decision === 'current') return current('already applied', note);
      return applied(found.decision === 'absent' ? 'mailbox was not in vmail' : 'row deleted', note);
    },

    async renameMailbox(input) {
      checkedAddress(input.address);
      const next = checkedAddress(input.newAddress);
      const newMaildir = `${next.domain}/${next.localPart}/`;
      const result = await inVmail(async (trx) => {
        const row = await findVmailMailbox(trx, input.address, { forUpdate: true });
        if (!row) {
          // a retry after the rename committed finds the mailbox under its new address
          const moved = await findVmailMailbox(trx, input.newAddress, { forUpdate: true });
          if (!moved) throw notFound(input.address);
          const d = decideGeneration(moved.generation, input.generation);
          if (d === 'apply') throw notFound(input.address);
          return { decision: d, note: 'already applied' };
        }
        const d = decideGeneration(row.generation, input.generation);
        if (d !== 'apply') return { decision: d, note: 'a newer generation is already applied' };
        await ensureVmailDomain(trx, next.domain);
        await renameVmailMailbox(trx, input.address, {
          username: input.newAddress,
          domain: next.domain,
          maildir: newMaildir,
          generation: input.generation,
        });
        const transitionEnds =
          input.aliasExpiresAt ?? new Date(deps.clock.now().getTime() + deps.renameAliasDays * DAY_MS);
        await upsertVmailAlias(trx, {
          address: input.address,
          goto: input.newAddress,
          domain: row.domain,
          expiresAt: transitionEnds,
        });
        // sessions still use the old home; end them, then move the mail before the new row is
        // visible, so a first login at the new address finds its mail (a failed commit is retried
        // and finds the maildir already moved)
        await doveadm.kick(input.address);
        const note = await maildirs.move(row.maildir, newMaildir);
        return { decision: d, note };
      });
      if (result.decision === 'apply') return applied(result.note);
      return result.decision === 'current' ? current(result.note) : skipped(result.note);
    },

    async repairMailbox(input) {
      const { localPart, domain } = checkedAddress(input.address);
      const created = await inVmail(async (trx) => {
        const row = await findVmailMailbox(trx, input.address, { forUpdate: true });
        if (row) {
          await forceVmailMailboxState(trx, input.address, input);
          return false;
        }
        await ensureVmailDomain(trx, domain);
        await upsertVmailMailbox(trx, {
          username: input.address,
          domain,
          password: LOCKED_PASSWORD,
          quotaBytes: input.quotaBytes,
          maildir: `${domain}/${localPart}/`,
          generation: input.generation,
        });
        if (!input.active) await forceVmailMailboxState(trx, input.address, input);
        return true;
      });
      if (!input.active) await doveadm.kick(input.address);
      return created ? applied('created without a usable password: reset it') : applied('state forced');
    },

    async listMailboxes(filter) {
      const rows = await listVmailMailboxes(vmail, filter);
      return rows.map((row) => ({
        address: row.username,
        domain: row.domain,
        active: row.active,
        quotaBytes: row.quotaBytes,
        generation: row.generation,
      }));
    },

    async listLastLogins(filter) {
      const rows = await listVmailLastLogins(vmail, filter);
      return rows.map((row) => ({
        address: row.username,
        lastLoginAt: row.lastLogin,
        lastSentAt: row.lastSent,
        lastReceivedAt: row.lastReceived,
      }));
    },

    async getMailbox(address): Promise<MailboxSnapshot | null> {
      const row = await findVmailMailbox(vmail, address);
      return row
        ? {
            address: row.username,
            domain: row.domain,
            active: row.active,
            quotaBytes: row.quotaBytes,
            generation: row.generation,
          }
        : null;
    },
  };
}
