// What the Dovecot adapter reports of its mailboxes (the drift check compares them with the
// directory, the activity report sends their last use) and the drift repair, which forces a
// mailbox's state whatever its generation (a missing one comes back without a usable password).
import type { MailboxSnapshot, MailServerAdapter } from '../../domain/mail-server-adapter.ts';
import { aliasSnapshot } from './alias-operations.ts';
import { checkedAddress } from './checked-input.ts';
import type { DoveadmClient } from './doveadm-client.ts';
import { applied } from './outcomes.ts';
import {
  ensureVmailDomain,
  findVmailMailbox,
  forceVmailMailboxState,
  listVmailLastLogins,
  openVmailScan,
  upsertVmailMailbox,
  type Vmail,
  type VmailMailbox,
} from './vmail-repository.ts';
import type { InVmail } from './vmail-transaction.ts';

export type MailboxDrift = Pick<
  MailServerAdapter,
  'repairMailbox' | 'scan' | 'listLastLogins' | 'getMailbox'
>;

const mailboxSnapshot = (row: VmailMailbox): MailboxSnapshot => ({
  address: row.username,
  domain: row.domain,
  active: row.active,
  quotaBytes: row.quotaBytes,
  generation: row.generation,
});

/** A crypt value no password matches: a mailbox recreated by a drift repair until its password is reset. */
const LOCKED_PASSWORD = '{CRYPT}!locked-by-drift-repair';

export function createMailboxDrift(deps: {
  vmail: Vmail;
  inVmail: InVmail;
  doveadm: DoveadmClient;
}): MailboxDrift {
  const { vmail, inVmail, doveadm } = deps;

  return {
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

    async scan(domains) {
      const scan = await openVmailScan(vmail, domains);
      return {
        mailboxes: async (limit) => (await scan.mailboxes(limit)).map(mailboxSnapshot),
        aliases: async (limit) => (await scan.aliases(limit)).map(aliasSnapshot),
        alias: async (address) => {
          const row = await scan.alias(address);
          return row ? aliasSnapshot(row) : null;
        },
        close: scan.close,
      };
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
      return row ? mailboxSnapshot(row) : null;
    },
  };
}
