import { randomUUID } from 'node:crypto';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import type { BusProducer } from './kafka.ts';
import { createLogger } from './logger.ts';
import { insertRawOutboxMessage, startOutboxRelay, traceparentFor, watchOutboxWrites } from './outbox.ts';

describe('traceparentFor', () => {
  it('when the correlation id is a uuid, then the trace id is that uuid and the span comes from the event id', () => {
    expect(
      traceparentFor('0714C4F2-A822-4725-B160-510AF9815555', 'aae821db-260b-4171-9d6c-d4b9f3a1dd9e'),
    ).toBe('00-0714c4f2a8224725b160510af9815555-aae821db260b4171-01');
  });

  it('when the ids cannot make a valid trace context, then there is none', () => {
    expect(traceparentFor('req-42', 'aae821db-260b-4171-9d6c-d4b9f3a1dd9e')).toBeUndefined();
    expect(
      traceparentFor('00000000-0000-0000-0000-000000000000', 'aae821db-260b-4171-9d6c-d4b9f3a1dd9e'),
    ).toBeUndefined();
    expect(traceparentFor('0714c4f2-a822-4725-b160-510af9815555', 'short')).toBeUndefined();
  });
});

// The relay's wake-up, against an in-memory outbox behind kysely's own transaction machinery: a
// row becomes visible to the relay when its transaction commits, as in PostgreSQL. The sweep is
// set to a minute, so anything published within the test's waits was woken by a commit.
describe('the outbox relay wakes after commit', () => {
  interface Row {
    id: string;
    topic: string;
    key: string;
    payload: unknown;
    processed: boolean;
    /** the relay's woken_at parameter: when the post-commit signal came */
    wokenAt?: string | null;
  }

  function memoryOutbox() {
    const table: Row[] = [];
    let lockHolder: object | null = null;
    const stats = { looks: 0 };
    class Connection implements DatabaseConnection {
      private pending: Row[] | null = null;
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        const text = query.sql.trim();
        const done = (rows: unknown[] = []) => ({ rows: rows as R[] });
        if (text === 'begin') {
          this.pending = [];
          return done();
        }
        if (text === 'commit' || text === 'rollback') {
          if (text === 'commit') table.push(...(this.pending ?? []));
          this.pending = null;
          if (lockHolder === this) lockHolder = null;
          return done([{ command: text.toUpperCase() }]);
        }
        if (text.startsWith('WITH l AS MATERIALIZED')) {
          // the relay's claim: the advisory lock, then (when it holds it) the pending rows in order
          stats.looks++;
          const ok = lockHolder === null || lockHolder === this;
          if (ok) lockHolder = this;
          const limit = Number(query.parameters[1]);
          const rows = ok
            ? table
                .filter((r) => !r.processed)
                .slice(0, limit)
                .map((r) => ({ ok, ...r, headers: {} }))
            : [];
          return done(rows.length > 0 ? rows : [{ ok, id: null }]);
        }
        if (text.startsWith('INSERT INTO outbox')) {
          const [id, topic, key, payload] = query.parameters as string[];
          const row = { id: id!, topic: topic!, key: key!, payload: JSON.parse(payload!), processed: false };
          if (this.pending) this.pending.push(row);
          else table.push(row);
          return done();
        }
        if (text.startsWith('UPDATE outbox SET processed_at')) {
          const ids = query.parameters.at(-1) as string[];
          for (const r of table) {
            if (!ids.includes(r.id)) continue;
            r.processed = true;
            r.wokenAt = query.parameters[0] as string | null;
          }
          return done();
        }
        throw new Error(`the memory outbox does not know: ${text}`);
      }
      // biome-ignore lint/correctness/useYield: the relay never streams
      async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
        throw new Error('not streamed');
      }
    }
    const driver: Driver = {
      init: async () => {},
      acquireConnection: async () => {
        const connection = new Connection();
        watchOutboxWrites(connection); // as createDb does for every connection
        return connection;
      },
      beginTransaction: async (c) => {
        await c.executeQuery(CompiledQuery.raw('begin'));
      },
      commitTransaction: async (c) => {
        await c.executeQuery(CompiledQuery.raw('commit'));
      },
      rollbackTransaction: async (c) => {
        await c.executeQuery(CompiledQuery.raw('rollback'));
      },
      releaseConnection: async () => {},
      destroy: async () => {},
    };
    const db = new Kysely<unknown>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => driver,
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    return { db, stats, table };
  }

  /** A producer that records what it sent and can be held mid-send. */
  function heldProducer() {
    const sent: string[] = [];
    let release: (() => void) | null = null;
    let hold = false;
    const producer: BusProducer = {
      async send(messages) {
        if (hold) await new Promise<void>((resolve) => (release = resolve));
        sent.push(...messages.map((m) => m.key));
      },
      disconnect: async () => {},
    };
    return {
      producer,
      sent,
      holdNextSend: () => {
        hold = true;
      },
      release: () => {
        hold = false;
        release?.();
      },
      held: () => release !== null,
    };
  }

  const row = (key: string) => ({
    id: randomUUID(),
    topic: 'hopthu.requests.v1' as const,
    key,
    payload: { key },
  });
  const until = async (check: () => boolean, ms = 1_000) => {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('not within the time allowed');
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const quiet = createLogger('outbox-test', { level: 'silent' });

  it('when a transaction writes an outbox row, then the relay looks only once it has committed, and publishes it then', async () => {
    const { db, stats } = memoryOutbox();
    const bus = heldProducer();
    const stop = startOutboxRelay({ db, producer: bus.producer, logger: quiet, pollMs: 60_000 });
    try {
      await until(() => stats.looks === 1); // the look at start
      await db.transaction().execute(async (trx) => {
        await insertRawOutboxMessage(trx, row('a'));
        await new Promise((r) => setTimeout(r, 100));
        expect(stats.looks).toBe(1); // not woken by the insert: it would find nothing yet
      });
      await until(() => bus.sent.length === 1, 500);
      expect(bus.sent).toEqual(['a']);
    } finally {
      await stop();
    }
  });

  it('when a row is committed while the relay publishes, then it is published without waiting for the sweep', async () => {
    const { db } = memoryOutbox();
    const bus = heldProducer();
    const stop = startOutboxRelay({ db, producer: bus.producer, logger: quiet, pollMs: 60_000 });
    try {
      bus.holdNextSend();
      await db.transaction().execute((trx) => insertRawOutboxMessage(trx, row('first')));
      await until(() => bus.held());
      await db.transaction().execute((trx) => insertRawOutboxMessage(trx, row('second')));
      bus.release();
      await until(() => bus.sent.length === 2, 500);
      expect(bus.sent).toEqual(['first', 'second']);
    } finally {
      await stop();
    }
  });

  it('when the transaction rolls back, then nothing wakes the relay; an insert outside a transaction wakes it at once', async () => {
    const { db, stats } = memoryOutbox();
    const bus = heldProducer();
    const stop = startOutboxRelay({ db, producer: bus.producer, logger: quiet, pollMs: 60_000 });
    try {
      await until(() => stats.looks === 1);
      await expect(
        db.transaction().execute(async (trx) => {
          await insertRawOutboxMessage(trx, row('undone'));
          throw new Error('the use case failed');
        }),
      ).rejects.toThrow('the use case failed');
      await new Promise((r) => setTimeout(r, 50));
      expect(stats.looks).toBe(1);
      await insertRawOutboxMessage(db, row('alone'));
      await until(() => bus.sent.length === 1, 500);
      expect(bus.sent).toEqual(['alone']);
    } finally {
      await stop();
    }
  });

  it('when a batch shorter than the batch size is published, then the relay sleeps until the next commit instead of looking again, and records when it was woken', async () => {
    const { db, stats, table } = memoryOutbox();
    const bus = heldProducer();
    const stop = startOutboxRelay({ db, producer: bus.producer, logger: quiet, pollMs: 60_000 });
    try {
      await until(() => stats.looks === 1);
      const committed = Date.now();
      await db.transaction().execute((trx) => insertRawOutboxMessage(trx, row('one')));
      await until(() => bus.sent.length === 1, 500);
      await new Promise((r) => setTimeout(r, 50));
      expect(stats.looks).toBe(2); // the look that published it, and no empty one after
      const woken = Date.parse(table[0]?.wokenAt ?? '');
      expect(woken).toBeGreaterThanOrEqual(committed);
      expect(woken).toBeLessThan(committed + 500);
      await insertRawOutboxMessage(db, row('two'));
      await until(() => bus.sent.length === 2, 500);
      expect(bus.sent).toEqual(['one', 'two']);
    } finally {
      await stop();
    }
  });

  it('when a full batch is published, then the relay looks again at once for the rows it left', async () => {
    const { db, table } = memoryOutbox();
    const bus = heldProducer();
    const stop = startOutboxRelay({
      db,
      producer: bus.producer,
      logger: quiet,
      pollMs: 60_000,
      batchSize: 2,
    });
    try {
      await db.transaction().execute(async (trx) => {
        for (const key of ['a', 'b', 'c', 'd', 'e']) await insertRawOutboxMessage(trx, row(key));
      });
      await until(() => bus.sent.length === 5, 500);
      expect(bus.sent).toEqual(['a', 'b', 'c', 'd', 'e']);
      // the first batch was woken by the commit; the rest were taken without a signal of their own
      expect(table.map((r) => r.wokenAt !== null)).toEqual([true, true, false, false, false]);
    } finally {
      await stop();
    }
  });
});
