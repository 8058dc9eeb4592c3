// The Dovecot 2.3 + Postfix 3.7 adapter: writes the vmail rows both daemons read (no reload is
// needed: the auth cache is off) and calls the doveadm HTTP API to end sessions, which a row
// change alone does not. See docs/provisioner.md and /work/shared/docs/mail-server-recipe.md.
//
// Each change runs in one vmail transaction that locks the mailbox row and compares generations
// (decideGeneration). Follow-ups outside the database (kick, maildir moves) are idempotent and
// re-run when the stored generation equals the command's, so a retry after a crash finishes them.
//
// The parts: mailbox-operations.ts (create and change mailboxes), mailbox-moves.ts (delete and
// rename), mailbox-restore.ts (a deleted mailbox given back from retention), mailbox-drift.ts
// (reports and the drift repair), alias-operations.ts (aliases, groups, alias domains),
// maildir-store.ts (maildirs on disk and retention), vmail-repository.ts (the SQL),
// doveadm-client.ts (ending sessions). This file puts them together behind the domain's port.
import type { Clock } from '@hopthu/shared/clock';
import type { Logger } from '@hopthu/shared/logger';
import { sql } from 'kysely';
import type { MailServerAdapter } from '../../domain/mail-server-adapter.ts';
import { createAliasOperations } from './alias-operations.ts';
import type { DoveadmClient } from './doveadm-client.ts';
import { createMailboxDrift } from './mailbox-drift.ts';
import { createMailboxMoves } from './mailbox-moves.ts';
import { createMailboxOperations } from './mailbox-operations.ts';
import { createMailboxRestore } from './mailbox-restore.ts';
import { createMaildirStore } from './maildir-store.ts';
import type { Vmail } from './vmail-repository.ts';
import { vmailTransactions } from './vmail-transaction.ts';

export interface DovecotAdapterOptions {
  vmail: Vmail;
  doveadm: DoveadmClient;
  /** Root of the maildirs, e.g. /var/vmail. */
  vmailRoot: string;
  /** Where deleted maildirs are moved, e.g. /var/vmail/.retention. */
  retentionDir: string;
  /** How long a renamed mailbox's old address forwards to the new one. */
  renameAliasDays: number;
  clock: Clock;
  logger: Logger;
}

export function createDovecotAdapter(options: DovecotAdapterOptions): MailServerAdapter {
  const { vmail } = options;
  const inVmail = vmailTransactions(vmail);
  const maildirs = createMaildirStore(options);
  return {
    name: 'dovecot',
    ...createMailboxOperations({ ...options, inVmail }),
    ...createMailboxMoves({ ...options, inVmail, maildirs }),
    ...createMailboxRestore({ inVmail, maildirs }),
    ...createMailboxDrift({ ...options, inVmail }),
    ...createAliasOperations({ vmail, inVmail }),
    listRetained: maildirs.listRetained,
    purgeRetained: maildirs.purgeRetained,

    async ping() {
      await sql`SELECT 1`.execute(vmail);
    },

    async close() {
      await vmail.destroy();
    },
  };
}
