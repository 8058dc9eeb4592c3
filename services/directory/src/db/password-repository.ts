// Issued passwords and the holder's own changes (regulations §5): the two instants the default-
// password lock (Kiên Giang Điều 10 khoản 3) is judged from.
import type { Db } from '../domain/deps.ts';

/** A password was issued to the mailbox (create, reset, restore with a new password) at `at`. */
export async function markPasswordIssued(db: Db, mailboxId: string, at: Date): Promise<void> {
  await db.updateTable('mailboxes').set({ password_issued_at: at }).where('id', '=', mailboxId).execute();
}

/** The holder chose their own password at `at`. */
export async function markPasswordChanged(db: Db, mailboxId: string, at: Date): Promise<void> {
  await db.updateTable('mailboxes').set({ password_changed_at: at }).where('id', '=', mailboxId).execute();
}

export interface IssuedPassword {
  mailboxId: string;
  address: string;
  issuedAt: Date;
  changedAt: Date | null;
}

/**
 * Active personal mailboxes of a province whose issued password (issued before `issuedBefore`) the
 * holder has not changed since, oldest first.
 */
export async function findUnchangedIssuedPasswords(
  db: Db,
  options: { province: string; issuedBefore: Date; limit: number; mailboxId?: string | undefined },
): Promise<IssuedPassword[]> {
  let query = db
    .selectFrom('mailboxes')
    .select(['id', 'address', 'password_issued_at', 'password_changed_at'])
    .where('province', '=', options.province)
    .where('state', '=', 'active')
    .where('type', '=', 'personal')
    .where('password_issued_at', 'is not', null)
    .where('password_issued_at', '<', options.issuedBefore)
    .where((eb) =>
      eb.or([
        eb('password_changed_at', 'is', null),
        eb('password_changed_at', '<', eb.ref('password_issued_at')),
      ]),
    )
    .orderBy('password_issued_at')
    .limit(options.limit);
  if (options.mailboxId) query = query.where('id', '=', options.mailboxId);
  const rows = await query.execute();
  return rows.map(toIssuedPassword);
}

export async function findIssuedPassword(db: Db, mailboxId: string): Promise<IssuedPassword | null> {
  const row = await db
    .selectFrom('mailboxes')
    .select(['id', 'address', 'password_issued_at', 'password_changed_at'])
    .where('id', '=', mailboxId)
    .executeTakeFirst();
  return row?.password_issued_at ? toIssuedPassword(row) : null;
}

function toIssuedPassword(row: {
  id: string;
  address: string;
  password_issued_at: Date | null;
  password_changed_at: Date | null;
}): IssuedPassword {
  return {
    mailboxId: row.id,
    address: row.address,
    issuedAt: new Date(row.password_issued_at as Date),
    changedAt: row.password_changed_at ? new Date(row.password_changed_at) : null,
  };
}
