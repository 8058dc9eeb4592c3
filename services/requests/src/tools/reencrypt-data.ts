// Re-encrypts every ciphertext of the requests service under the current data key (the first of
// DATA_KEYS): national IDs, legacy IDs and dates of birth of request items, the one-time
// credential envelopes not yet opened, and bulk requests' pending copies of their items. Run by `./hopthu rotate-data-key` after the service was
// restarted with the new key in front, so reads work throughout: until a row is rewritten its old
// key (still in the ring) opens it. Safe to run again; each row is rewritten only while it still
// holds what was read (an envelope opened meanwhile stays opened). Prints counts as JSON; exits 1
// when a ciphertext names a key the ring does not hold (its row id is printed, never its data).
// LEGACY_DATA_KEY: see below.
import { loadConfig, parseKeyRing } from '@hopthu/shared/config';
import { createDb } from '@hopthu/shared/db';
import { Type } from '@sinclair/typebox';
import { type Kysely, sql } from 'kysely';
import { ConfigSchema } from '../config.ts';
import type { Database, StoredPerson } from '../db/schema.ts';
import { type DataKeys, dataKeys, LEGACY_KID, reencrypt, UnknownDataKeyError } from '../domain/secrets.ts';

const BATCH = 500;

export interface ReencryptCounts {
  items: number;
  credentials: number;
  /** Bulk requests' pending copies of their items (request_expansions), usually none. */
  pending: number;
  unreadable: string[];
}

function sealedAgain(keys: DataKeys, sealed: string | null, unreadable: () => void): string | null {
  if (sealed === null) return null;
  try {
    return reencrypt(keys, sealed);
  } catch (e) {
    if (!(e instanceof UnknownDataKeyError)) throw e;
    unreadable();
    return sealed;
  }
}

export async function reencryptAll(db: Kysely<Database>, keys: DataKeys): Promise<ReencryptCounts> {
  const counts: ReencryptCounts = { items: 0, credentials: 0, pending: 0, unreadable: [] };
  const prefix = `${keys.current.kid}.%`;
  const stale = (column: string) =>
    sql<boolean>`(${sql.ref(column)} IS NOT NULL AND ${sql.ref(column)} NOT LIKE ${prefix})`;
  // keyset pages (ids are uuids: no cursor on the first page)
  let after: string | null = null;
  for (;;) {
    const rows = await db
      .selectFrom('request_items')
      .select(['id', 'national_id_enc', 'date_of_birth_enc', 'person'])
      .$if(after !== null, (q) => q.where('id', '>', after!))
      .where((eb) =>
        eb.or([
          stale('national_id_enc'),
          stale('date_of_birth_enc'),
          sql<boolean>`(person->>'legacyNationalIdEnc' IS NOT NULL AND person->>'legacyNationalIdEnc' NOT LIKE ${prefix})`,
        ]),
      )
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      let bad = false;
      const mark = () => {
        bad = true;
      };
      const person = row.person as StoredPerson | null;
      const legacy = person?.legacyNationalIdEnc ?? null;
      const next = {
        national_id_enc: sealedAgain(keys, row.national_id_enc, mark),
        date_of_birth_enc: sealedAgain(keys, row.date_of_birth_enc, mark),
        person:
          person && legacy ? { ...person, legacyNationalIdEnc: sealedAgain(keys, legacy, mark)! } : person,
      };
      if (bad) counts.unreadable.push(`request_items ${row.id}`);
      const updated = await db
        .updateTable('request_items')
        .set({ ...next, person: JSON.stringify(next.person) })
        .where('id', '=', row.id)
        .where(sql<boolean>`national_id_enc IS NOT DISTINCT FROM ${row.national_id_enc}`)
        .where(sql<boolean>`date_of_birth_enc IS NOT DISTINCT FROM ${row.date_of_birth_enc}`)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) counts.items++;
    }
    after = rows[rows.length - 1]!.id;
  }
  after = null;
  for (;;) {
    const rows = await db
      .selectFrom('credentials')
      .select(['item_id', 'password_enc'])
      .$if(after !== null, (q) => q.where('item_id', '>', after!))
      .where(stale('password_enc'))
      .orderBy('item_id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const next = sealedAgain(keys, row.password_enc, () =>
        counts.unreadable.push(`credentials ${row.item_id}`),
      );
      if (next === row.password_enc) continue;
      // only while unopened and unchanged: an envelope opened meanwhile must not come back
      const updated = await db
        .updateTable('credentials')
        .set({ password_enc: next })
        .where('item_id', '=', row.item_id)
        .where('password_enc', '=', row.password_enc)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) counts.credentials++;
    }
    after = rows[rows.length - 1]!.item_id;
  }
  // a bulk request's items not written yet (seconds after its answer): its sealed copy
  const pending = await db
    .selectFrom('request_expansions')
    .select(['request_id', 'payload_enc'])
    .where(stale('payload_enc'))
    .execute();
  for (const row of pending) {
    const next = sealedAgain(keys, row.payload_enc, () =>
      counts.unreadable.push(`request_expansions ${row.request_id}`),
    )!;
    if (next === row.payload_enc) continue;
    const updated = await db
      .updateTable('request_expansions')
      .set({ payload_enc: next })
      .where('request_id', '=', row.request_id)
      .where('payload_enc', '=', row.payload_enc)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) counts.pending++;
  }
  return counts;
}

if (import.meta.main) {
  const { DATABASE_URL, DATA_KEYS, NATIONAL_ID_HASH_KEY } = ConfigSchema.properties;
  const config = loadConfig(
    Type.Object({
      DATABASE_URL,
      DATA_KEYS,
      NATIONAL_ID_HASH_KEY,
      /**
       * Only to move data away from the key once committed to the repository (an installation that
       * ran on it before keys were generated): it opens ciphertexts without a key id, here and
       * nowhere else, since no service accepts it.
       */
      LEGACY_DATA_KEY: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
    }),
  );
  const db = createDb<Database>(config.DATABASE_URL, { max: 2 });
  try {
    const ring = parseKeyRing(config.DATA_KEYS);
    if (config.LEGACY_DATA_KEY && !ring.some((k) => k.kid === LEGACY_KID))
      ring.push({ kid: LEGACY_KID, material: config.LEGACY_DATA_KEY });
    const keys = dataKeys(ring, config.NATIONAL_ID_HASH_KEY);
    const counts = await reencryptAll(db, keys);
    console.log(JSON.stringify({ key: keys.current.kid, ...counts }));
    if (counts.unreadable.length > 0) process.exitCode = 1;
  } finally {
    await db.destroy();
  }
}
