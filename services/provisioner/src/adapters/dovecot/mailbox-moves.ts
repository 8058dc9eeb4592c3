// The Dovecot adapter's delete and rename of a mailbox: the row goes or takes its new address in one
// vmail transaction, then the sessions end (doveadm kick) and the maildir moves, into retention on a
// delete (Dovecot never deletes mail files) or to the new address's folder on a rename, whose old
// address forwards to the new one for a while. Each follow-up is idempotent: a retry finishes it.
import type { Clock } from '@hopthu/shared/clock';
import { decideGeneration } from '../../domain/commands/generation.ts';
import { maildirFor } from '../../domain/commands/mail-address.ts';
import type { MailServerAdapter } from '../../domain/mail-server-adapter.ts';
import { checkedAddress, notFound } from './checked-input.ts';
import type { DoveadmClient } from './doveadm-client.ts';
import type { MaildirStore } from './maildir-store.ts';
import { applied, current, skipped } from './outcomes.ts';
import {
  deleteVmailForward,
  deleteVmailMailbox,
  ensureVmailDomain,
  findVmailMailbox,
  moveVmailForward,
  renameVmailMailbox,
  upsertVmailAlias,
} from './vmail-repository.ts';
import type { InVmail } from './vmail-transaction.ts';

export type MailboxMoves = Pick<MailServerAdapter, 'deleteMailbox' | 'renameMailbox'>;

const DAY_MS = 86_400_000;

export function createMailboxMoves(deps: {
  inVmail: InVmail;
  doveadm: DoveadmClient;
  maildirs: MaildirStore;
  /** How long a renamed mailbox's old address forwards to the new one. */
  renameAliasDays: number;
  clock: Clock;
}): MailboxMoves {
  const { inVmail, doveadm, maildirs } = deps;

  return {
    async deleteMailbox(input) {
      checkedAddress(input.address);
      const found = await inVmail(async (trx) => {
        const row = await findVmailMailbox(trx, input.address, { forUpdate: true });
        if (!row) {
          await deleteVmailForward(trx, input.address);
          return { decision: 'absent' as const, maildir: maildirFor(input.address) };
        }
        const d = decideGeneration(row.generation, input.generation);
        if (d === 'apply') {
          await deleteVmailMailbox(trx, input.address);
          // its forward (set_forward) ends with it
          await deleteVmailForward(trx, input.address);
        }
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
        // its forward (set_forward) moves along; the old address then forwards to the new one only
        await moveVmailForward(trx, input.address, { username: input.newAddress, domain: next.domain });
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
  };
}
