// Server-side cursors for reading a large listing a page at a time (the drift check): the queries
// are declared in one read-only REPEATABLE READ transaction, so each is sorted once and all of
// them see one snapshot of the database; FETCH then hands out the rows a page at a time. The
// transaction holds one connection of the pool until `close`.
import { type Kysely, type RawBuilder, sql } from 'kysely';

export interface ReadCursors<DB, K extends string> {
  /** The next at most `limit` rows of the query named `name`; fewer than `limit`: its end. */
  fetch<T>(name: K, limit: number): Promise<T[]>;
  /** Other queries in the same snapshot, on the same connection (between fetches). */
  within<T>(work: (trx: Kysely<DB>) => Promise<T>): Promise<T>;
  /** Ends the transaction (read only: nothing to keep). */
  close(): Promise<void>;
}

export async function openReadCursors<DB, K extends string>(
  db: Kysely<DB>,
  queries: Record<K, RawBuilder<unknown>>,
): Promise<ReadCursors<DB, K>> {
  const trx = await db
    .startTransaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute();
  try {
    for (const [name, query] of Object.entries(queries) as [K, RawBuilder<unknown>][])
      await sql`DECLARE ${sql.id(name)} NO SCROLL CURSOR FOR ${query}`.execute(trx);
  } catch (err) {
    await trx.rollback().execute();
    throw err;
  }
  return {
    async fetch<T>(name: K, limit: number) {
      const { rows } =
        await sql<T>`FETCH FORWARD ${sql.lit(Math.max(1, Math.floor(limit)))} FROM ${sql.id(name)}`.execute(
          trx,
        );
      return rows;
    },
    within: (work) => work(trx),
    close: () => trx.rollback().execute(),
  };
}
