// The replica of the directory's mailboxes (from hopthu.directory.v1): written by the directory
// consumer, read by the drift check.
import type { MailboxState } from '@hopthu/shared/events';
import { type Kysely, sql } from 'kysely';
import type { ProvisionerDb } from './schema.ts';

export interface DirectoryMailbox {
  mailboxId: string;
  address: string;
  domain: string;
  state: MailboxState['state'];
  quotaBytes: number;
  generation: number;
  aliases: string[];
  /** The directory's forward of the mailbox (set_forward); null or absent: none. */
  forwardTo?: string | null;
}

/** Keeps the newest state per mailbox: an older generation never overwrites a newer one. */
export async function upsertDirectoryMailbox(
  db: Kysely<ProvisionerDb>,
  m: DirectoryMailbox,
  at: Date,
): Promise<void> {
  await db
    .insertInto('directory_mailboxes')
    .values({
      mailbox_id: m.mailboxId,
      address: m.address,
      domain: m.domain,
      state: m.state,
      quota_bytes: m.quotaBytes,
      generation: m.generation,
      aliases: JSON.stringify(m.aliases),
      forward_to: m.forwardTo ?? null,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc
        .column('mailbox_id')
        .doUpdateSet((eb) => ({
          address: eb.ref('excluded.address'),
          domain: eb.ref('excluded.domain'),
          state: eb.ref('excluded.state'),
          quota_bytes: eb.ref('excluded.quota_bytes'),
          generation: eb.ref('excluded.generation'),
          aliases: eb.ref('excluded.aliases'),
          forward_to: eb.ref('excluded.forward_to'),
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .where(sql<boolean>`directory_mailboxes.generation <= excluded.generation`),
    )
    .execute();
}

export async function listDirectoryMailboxes(
  db: Kysely<ProvisionerDb>,
  filter: { domain?: string | undefined },
): Promise<DirectoryMailbox[]> {
  let q = db.selectFrom('directory_mailboxes').selectAll().orderBy('address');
  if (filter.domain) q = q.where('domain', '=', filter.domain);
  const rows = await q.execute();
  return rows.map((r) => ({
    mailboxId: r.mailbox_id,
    address: r.address,
    domain: r.domain,
    state: r.state as MailboxState['state'],
    quotaBytes: Number(r.quota_bytes),
    generation: Number(r.generation),
    aliases: r.aliases,
    forwardTo: r.forward_to,
  }));
}
