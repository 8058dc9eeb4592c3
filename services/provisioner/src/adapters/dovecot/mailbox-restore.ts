// The Dovecot adapter's restore of a deleted mailbox (before its province's purge day): the mail
// goes back from retention into the address's maildir first, then the row is written under the
// command's generation and new issued password, in one vmail transaction, so the first login finds
// the old mail. A retry after the move (a failed commit) finds the maildir already in place; a
// retry after the commit finds the row at this generation and changes nothing. A restore that
// brings the mailbox's forward back (`forwardTo`) writes its forward row (the address itself and
// the target, as a set_alias of the forward would) in the same transaction, under the same
// generation, checked by the same forwarding rule first.
import { PermanentError } from '@hopthu/shared/inbox';
import { decideGeneration } from '../../domain/commands/generation.ts';
import type { MailServerAdapter } from '../../domain/mail-server-adapter.ts';
import { checkedCreate, checkedForwarding, checkedTargets } from './checked-input.ts';
import type { MaildirStore } from './maildir-store.ts';
import { applied, notNewer } from './outcomes.ts';
import {
  ensureVmailDomain,
  findVmailMailbox,
  upsertVmailMailbox,
  writeVmailAliasEntry,
} from './vmail-repository.ts';
import type { InVmail } from './vmail-transaction.ts';

export function createMailboxRestore(deps: {
  inVmail: InVmail;
  maildirs: MaildirStore;
}): Pick<MailServerAdapter, 'restoreDeletedMailbox'> {
  const { inVmail, maildirs } = deps;
  return {
    async restoreDeletedMailbox(input) {
      const { localPart, domain } = checkedCreate(input);
      const forward = input.forwardTo
        ? checkedTargets(input.address, [input.address, input.forwardTo])
        : null;
      if (forward) checkedForwarding(input.address, forward);
      const maildir = `${domain}/${localPart}/`;
      const done = await inVmail(async (trx) => {
        const row = await findVmailMailbox(trx, input.address, { forUpdate: true });
        if (row) {
          const d = decideGeneration(row.generation, input.generation);
          // an older row means the address is someone's on the server: its mail must not be mixed in
          if (d === 'apply') {
            throw new PermanentError(
              `Địa chỉ ${input.address} đang là một hộp thư trên máy chủ thư / ${input.address} is a mailbox on the mail server already`,
            );
          }
          return { decision: d, note: 'already restored' };
        }
        const note = await maildirs.bringBack(input.address, input.generation, maildir);
        await ensureVmailDomain(trx, domain);
        const written = await upsertVmailMailbox(trx, {
          username: input.address,
          domain,
          password: input.passwordHash,
          quotaBytes: input.quotaBytes,
          maildir,
          generation: input.generation,
          passwordChangeRequired: input.passwordChangeRequired,
        });
        if (written && forward) {
          await writeVmailAliasEntry(trx, {
            address: input.address.toLowerCase(),
            domain,
            targets: forward,
            allowedSenders: null,
            expiresAt: null,
            generation: input.generation,
          });
        }
        return { decision: written ? ('apply' as const) : ('stale' as const), note };
      });
      if (done.decision === 'apply') {
        return applied(
          forward ? `row and forward to ${input.forwardTo} written again` : 'row written again',
          done.note,
        );
      }
      return notNewer(done.decision);
    },
  };
}
