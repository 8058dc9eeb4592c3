// A restore_deleted whose retained mail is gone: the directory judged the restore before the purge
// day, but the command reaches the mail server after that day's purge (approved on the last day and
// carried out after midnight UTC, a backlog, a dead letter replayed days later). Giving the mailbox
// back empty would look like a restore and lose the mail silently; the command fails instead,
// naming the purge day in Vietnamese and English, so the item fails with why and the directory
// makes the mailbox deleted again. The purge day is this provisioner's own calendar: the UTC day it
// applied the delete (the day folder the mail went to) and the address's province's
// retention.deletedMailDays (the purge's rule, purge-retention.ts), or for a domain of no province
// this installation's VMAIL_RETENTION_DAYS (`retentionDays`), as the purge reads it. Before that day an absent copy
// means the mailbox never had mail: an empty mailbox is then what it was.
import { deletedMailWindow } from '@hopthu/naming';
import type { ProvisioningCommand } from '@hopthu/shared/events';
import { PermanentError } from '@hopthu/shared/inbox';
import type { Kysely } from 'kysely';
import { findAppliedDeleteAt } from '../../db/applied-command-repository.ts';
import type { ProvisionerDb } from '../../db/schema.ts';
import type { MailServerAdapter } from '../mail-server-adapter.ts';

/** Throws PermanentError when the command would restore a mailbox whose retained mail was purged. */
export async function refusePurgedRestore(
  deps: {
    db: Kysely<ProvisionerDb>;
    adapter: Pick<MailServerAdapter, 'listRetained'>;
    now: Date;
    /** Full days deleted mail is kept for a domain of no province (VMAIL_RETENTION_DAYS). */
    retentionDays: number;
  },
  command: Pick<ProvisioningCommand, 'action' | 'mailboxId' | 'address' | 'generation'>,
): Promise<void> {
  if (command.action !== 'restore_deleted') return;
  const deletedAt = await findAppliedDeleteAt(deps.db, command.mailboxId, command.generation);
  if (!deletedAt) return; // a delete this provisioner never applied: nothing to judge by
  const window = deletedMailWindow(command.address, deletedAt, deps.now, deps.retentionDays);
  if (window.held) return;
  const retained = (await deps.adapter.listRetained()).some(
    (r) => r.address === command.address && r.generation < command.generation,
  );
  if (retained) return; // the purge has not come round yet today: the mail is still there
  throw new PermanentError(purgedMessage(command.address, window.deletedOn, window.purgeOn));
}

export function purgedMessage(address: string, deletedOn: string, purgeOn: string): string {
  return (
    `Thư của hộp thư ${address} (xóa ngày ${deletedOn}) đã hết thời hạn lưu trữ và bị xóa hẳn ngày ${purgeOn}; ` +
    'không khôi phục một hộp thư rỗng / ' +
    `the mail of ${address} (deleted on ${deletedOn}) left retention for good on ${purgeOn}; ` +
    'an empty mailbox is not restored'
  );
}
