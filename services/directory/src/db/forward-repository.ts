// A mailbox's forward (mailboxes.forward_to): where its mail goes too, a copy kept in the mailbox.
import type { Kysely } from 'kysely';
import type { DirectoryDatabase } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

/** The forwards of these mailboxes: mailboxes without one are absent. */
export async function findForwardsOf(db: Db, mailboxIds: readonly string[]): Promise<Map<string, string>> {
  if (mailboxIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('mailboxes')
    .select(['id', 'forward_to'])
    .where('id', 'in', [...new Set(mailboxIds)])
    .where('forward_to', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.id, r.forward_to as string]));
}

/**
 * Sets (or with null ends) the mailbox's forward, under its next generation (the target of the
 * set_alias / remove_alias command issued with it) unless `bumpGeneration` is false (a delete's
 * own command ends it on the mail server); answers what the command needs.
 */
export async function setForward(
  db: Db,
  mailboxId: string,
  forwardTo: string | null,
  at: Date,
  options: { bumpGeneration: boolean } = { bumpGeneration: true },
): Promise<{ generation: number; address: string; domain: string }> {
  return db
    .updateTable('mailboxes')
    .set((eb) => ({
      forward_to: forwardTo,
      ...(options.bumpGeneration ? { generation: eb('generation', '+', 1) } : {}),
      updated_at: at,
    }))
    .where('id', '=', mailboxId)
    .returning(['generation', 'address', 'domain'])
    .executeTakeFirstOrThrow();
}

/**
 * The live mailboxes that forward to one of these addresses, locked for update (their forward is
 * about to be rewritten), with the address each forwards to.
 */
export async function findForwardersTo(
  db: Db,
  addresses: readonly string[],
): Promise<{ id: string; forwardTo: string }[]> {
  if (addresses.length === 0) return [];
  const rows = await db
    .selectFrom('mailboxes')
    .select(['id', 'forward_to'])
    .where('forward_to', 'in', [...new Set(addresses.map((a) => a.toLowerCase()))])
    .where('state', '<>', 'deleted')
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => ({ id: r.id, forwardTo: r.forward_to as string }));
}
