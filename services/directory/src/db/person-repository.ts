// People: the civil servants who hold personal mailboxes, with their job for the directory.
import type { Kysely, Selectable } from 'kysely';
import type { DirectoryDatabase, PeopleTable } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

export interface Person {
  id: string;
  province: string;
  familyName: string;
  middleName: string;
  givenName: string;
  personKey: string | null;
  position: string | null;
  department: string | null;
  agencyId: string;
}

function toPerson(row: Selectable<PeopleTable>): Person {
  return {
    id: row.id,
    province: row.province,
    familyName: row.family_name,
    middleName: row.middle_name,
    givenName: row.given_name,
    personKey: row.person_key,
    position: row.position,
    department: row.department,
    agencyId: row.agency_id,
  };
}

export async function insertPerson(db: Db, person: Person & { foldedName: string }, at: Date): Promise<void> {
  await insertPeople(db, [person], at);
}

/** insertPerson for many people in one statement. */
export async function insertPeople(
  db: Db,
  people: readonly (Person & { foldedName: string })[],
  at: Date,
): Promise<void> {
  if (people.length === 0) return;
  await db
    .insertInto('people')
    .values(
      people.map((person) => ({
        id: person.id,
        province: person.province,
        family_name: person.familyName,
        middle_name: person.middleName,
        given_name: person.givenName,
        folded_name: person.foldedName,
        person_key: person.personKey,
        position: person.position,
        department: person.department,
        agency_id: person.agencyId,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();
}

export async function findPersonById(db: Db, id: string): Promise<Person | null> {
  const row = await db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPerson(row) : null;
}

/** These people by id, in one query. */
export async function findPeopleByIds(db: Db, ids: readonly string[]): Promise<Map<string, Person>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('people')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, toPerson(row)]));
}

export async function findPersonByKey(db: Db, province: string, personKey: string): Promise<Person | null> {
  const row = await db
    .selectFrom('people')
    .selectAll()
    .where('province', '=', province)
    .where('person_key', '=', personKey)
    .executeTakeFirst();
  return row ? toPerson(row) : null;
}

/** findPersonByKey for many keys of one province in one query, by key. */
export async function findPeopleByKeys(
  db: Db,
  province: string,
  personKeys: readonly string[],
): Promise<Map<string, Person>> {
  if (personKeys.length === 0) return new Map();
  const rows = await db
    .selectFrom('people')
    .selectAll()
    .where('province', '=', province)
    .where('person_key', 'in', [...new Set(personKeys)])
    .execute();
  return new Map(rows.map((row) => [row.person_key as string, toPerson(row)]));
}

export async function updatePersonJob(
  db: Db,
  id: string,
  job: { position?: string | null | undefined; department?: string | null | undefined; agencyId?: string },
  at: Date,
): Promise<void> {
  const set: { position?: string | null; department?: string | null; agency_id?: string } = {};
  if (job.position !== undefined) set.position = job.position;
  if (job.department !== undefined) set.department = job.department;
  if (job.agencyId !== undefined) set.agency_id = job.agencyId;
  await db
    .updateTable('people')
    .set({ ...set, updated_at: at })
    .where('id', '=', id)
    .execute();
}

/** A person entered for a mailbox that was not created after all. */
export async function deletePerson(db: Db, id: string): Promise<void> {
  await db.deleteFrom('people').where('id', '=', id).execute();
}
