// Operator accounts: the only Kysely code for the operators table.
import type { Kysely, Selectable } from 'kysely';
import type { ConsoleDb, OperatorsTable, Role } from './schema.ts';

export interface Operator {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  createdAt: Date;
}

type Row = Selectable<OperatorsTable>;

const toOperator = (r: Row): Operator => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  passwordHash: r.password_hash,
  disabled: r.disabled_at !== null,
  createdAt: r.created_at,
});

export async function findOperatorByUsername(db: Kysely<ConsoleDb>, username: string) {
  const row = await db
    .selectFrom('operators')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
  return row ? toOperator(row) : undefined;
}

export async function findOperatorById(db: Kysely<ConsoleDb>, id: string) {
  const row = await db.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toOperator(row) : undefined;
}

export async function listOperators(db: Kysely<ConsoleDb>): Promise<Operator[]> {
  return (await db.selectFrom('operators').selectAll().orderBy('username').execute()).map(toOperator);
}

/** Inserts the operator; false when the user name is taken. */
export async function insertOperator(
  db: Kysely<ConsoleDb>,
  o: { id: string; username: string; displayName: string; role: Role; passwordHash: string; now: Date },
): Promise<boolean> {
  const r = await db
    .insertInto('operators')
    .values({
      id: o.id,
      username: o.username,
      display_name: o.displayName,
      role: o.role,
      password_hash: o.passwordHash,
      created_at: o.now,
      updated_at: o.now,
    })
    .onConflict((oc) => oc.column('username').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function updateOperatorPassword(
  db: Kysely<ConsoleDb>,
  username: string,
  passwordHash: string,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('operators')
    .set({ password_hash: passwordHash, updated_at: now })
    .where('username', '=', username)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Sets or clears disabled_at; false when there is no such account. */
export async function setOperatorDisabledAt(
  db: Kysely<ConsoleDb>,
  id: string,
  disabledAt: Date | null,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('operators')
    .set({ disabled_at: disabledAt, updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function updateOperatorPasswordById(
  db: Kysely<ConsoleDb>,
  id: string,
  passwordHash: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('operators')
    .set({ password_hash: passwordHash, updated_at: now })
    .where('id', '=', id)
    .execute();
}
