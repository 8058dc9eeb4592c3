// The audit log's hash chain on a real PostgreSQL, in a scratch console database of its own (so
// tampering here never touches the stack's log): UPDATE and DELETE are refused by the table's
// triggers; a change made around them (by the table's owner) is found by the chain check, at the
// entry changed; concurrent appends still form one unbroken chain. And the running console's own
// chain is intact.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '@hopthu/shared/clock';
import { createDb, migrateToLatest } from '@hopthu/shared/db';
import { createLogger } from '@hopthu/shared/logger';
import { adminFetch, serviceDatabaseUrl } from '@hopthu/shared/testing';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleDb } from '../src/db/schema.ts';
import { recordAction } from '../src/domain/audit/record-action.ts';
import { verifyAuditChain } from '../src/domain/audit/verify-audit-chain.ts';
import { CONSOLE, useConsole } from './console-helpers.ts';

const migrations = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
const logger = createLogger('console-test', { level: 'warn' });

async function createScratchDatabase(): Promise<{ db: Kysely<ConsoleDb>; drop(): Promise<void> }> {
  const name = `hopthu_console_t${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const adminUrl = new URL(serviceDatabaseUrl('console'));
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb<ConsoleDb>(url.toString(), { max: 10 });
  await migrateToLatest(db as never, migrations);
  return {
    db,
    async drop() {
      await db.destroy();
      const c = new pg.Client({ connectionString: adminUrl.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
beforeAll(async () => {
  scratch = await createScratchDatabase();
});
afterAll(async () => scratch?.drop());

const record = (db: Kysely<ConsoleDb>, i: number) =>
  recordAction(
    { db, clock: systemClock, logger },
    {
      operatorId: null,
      username: `kt.${i}`,
      action: 'approval.approve',
      target: `request-${i}/item`,
      outcome: 'ok',
      details: { reason: `Lý do ${i}`, approvals: [`kt.${i}`], nested: { b: 2, a: 1 } },
      clientIp: '127.0.0.1',
    },
  );

async function ids(db: Kysely<ConsoleDb>): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`SELECT id::text AS id FROM audit_log ORDER BY id`.execute(db);
  return rows.map((r) => r.id);
}

/** What someone with the table owner's rights could do: switch the guard off, change, switch it on. */
async function aroundTheTriggers(db: Kysely<ConsoleDb>, change: ReturnType<typeof sql>) {
  await db.transaction().execute(async (trx) => {
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`.execute(trx);
    await change.execute(trx);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change`.execute(trx);
  });
}

describe('the audit log hash chain', () => {
  it('when entries are appended concurrently, then they still form one unbroken chain', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => record(scratch.db, i)));
    const report = await verifyAuditChain(scratch);
    expect(report).toMatchObject({ intact: true, checked: 40, breaks: [] });
  });

  it('when a row is updated, deleted or the table truncated through SQL, then the database refuses', async () => {
    const [first] = await ids(scratch.db);
    await expect(
      sql`UPDATE audit_log SET outcome = 'refused' WHERE id = ${first}::bigint`.execute(scratch.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log WHERE id = ${first}::bigint`.execute(scratch.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`TRUNCATE audit_log`.execute(scratch.db)).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(scratch)).intact).toBe(true);
  });

  it('when a row is changed around the guard, then the check reports the break at that row', async () => {
    const all = await ids(scratch.db);
    const changed = all[10]!;
    await aroundTheTriggers(
      scratch.db,
      sql`UPDATE audit_log SET details = jsonb_set(details, '{reason}', '"sửa lén"') WHERE id = ${changed}::bigint`,
    );
    const report = await verifyAuditChain(scratch);
    expect(report.intact).toBe(false);
    expect(report.breaks.map((b) => [b.id, b.kind])).toEqual([[changed, 'content_changed']]);
  });

  it('when a row is removed around the guard, then the next row no longer links', async () => {
    const all = await ids(scratch.db);
    await aroundTheTriggers(scratch.db, sql`DELETE FROM audit_log WHERE id = ${all[20]!}::bigint`);
    const report = await verifyAuditChain(scratch);
    expect(report.breaks.map((b) => [b.id, b.kind])).toContainEqual([all[21]!, 'link_broken']);
  });
});

describe('the running console’s audit log', () => {
  it('when its chain is checked through the admin API, then it is intact', async () => {
    const stop = await useConsole();
    try {
      const res = await adminFetch<{ intact: boolean; checked: number; breaks: unknown[] }>(
        CONSOLE,
        'GET',
        '/admin/audit/verify',
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ intact: true, breaks: [] });
    } finally {
      await stop();
    }
  });
});
