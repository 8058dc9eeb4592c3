// The audit log of operator actions: append (under the chain lock) and read, the only Kysely code
// for audit_log. Rows are never updated or deleted (triggers refuse it).
import { type Kysely, sql } from 'kysely';
import type { StoredAuditEntry } from '../domain/audit/audit-chain.ts';
import type { AuditOutcome, ConsoleDb } from './schema.ts';

export interface AuditEntry {
  id: string;
  at: Date;
  username: string;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
  clientIp: string | null;
  hash: string;
}

export interface ChainedAuditEntry {
  at: Date;
  operatorId: string | null;
  username: string;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
  clientIp: string | null;
  prevHash: string;
  hash: string;
}

/**
 * Takes the chain's lock for the rest of the transaction: appends are serialised, so each one
 * reads the head the one before it wrote (and ids grow in chain order).
 */
export async function lockAuditChain(trx: Kysely<ConsoleDb>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('hopthu_console.audit_log'))`.execute(trx);
}

/** The hash of the newest entry, or undefined for an empty log. */
export async function findAuditHeadHash(trx: Kysely<ConsoleDb>): Promise<string | undefined> {
  const row = await trx
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.hash;
}

export async function insertAuditEntry(trx: Kysely<ConsoleDb>, e: ChainedAuditEntry): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      at: e.at,
      operator_id: e.operatorId,
      username: e.username,
      action: e.action,
      target: e.target,
      outcome: e.outcome,
      details: JSON.stringify(e.details),
      client_ip: e.clientIp,
      prev_hash: e.prevHash,
      hash: e.hash,
    })
    .execute();
}

export interface AuditFilter {
  username?: string | undefined;
  action?: string | undefined;
}

function auditEntries(db: Kysely<ConsoleDb>, filter: AuditFilter) {
  let q = db.selectFrom('audit_log');
  if (filter.username) q = q.where('username', '=', filter.username);
  if (filter.action) q = q.where('action', '=', filter.action);
  return q;
}

export async function countAuditEntries(db: Kysely<ConsoleDb>, filter: AuditFilter): Promise<number> {
  const row = await auditEntries(db, filter)
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export async function listAuditEntries(
  db: Kysely<ConsoleDb>,
  filter: AuditFilter & { limit: number; offset?: number },
): Promise<AuditEntry[]> {
  const q = auditEntries(db, filter)
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset ?? 0);
  return (await q.execute()).map((r) => ({
    id: String(r.id),
    at: r.at,
    username: r.username,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    details: r.details,
    clientIp: r.client_ip,
    hash: r.hash,
  }));
}

/** Up to `limit` entries after id `afterId`, in id (chain) order, with everything the hash covers. */
export async function listAuditChainRun(
  db: Kysely<ConsoleDb>,
  afterId: string,
  limit: number,
): Promise<StoredAuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    at: r.at,
    operatorId: r.operator_id,
    username: r.username,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    details: r.details,
    clientIp: r.client_ip,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}
