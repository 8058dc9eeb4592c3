// The audit log of operator actions: append and read, the only Kysely code for audit_log.
import type { Kysely } from 'kysely';
import type { AuditOutcome, ConsoleDb } from './schema.ts';

export interface AuditEntry {
  id: number;
  at: Date;
  username: string;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
  clientIp: string | null;
}

export interface NewAuditEntry {
  at: Date;
  operatorId: string | null;
  username: string;
  action: string;
  target?: string | undefined;
  outcome: AuditOutcome;
  details?: Record<string, unknown> | undefined;
  clientIp?: string | undefined;
}

export async function insertAuditEntry(db: Kysely<ConsoleDb>, e: NewAuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: e.at,
      operator_id: e.operatorId,
      username: e.username,
      action: e.action,
      target: e.target ?? null,
      outcome: e.outcome,
      details: JSON.stringify(e.details ?? {}),
      client_ip: e.clientIp ?? null,
    })
    .execute();
}

export async function listAuditEntries(
  db: Kysely<ConsoleDb>,
  filter: { username?: string | undefined; action?: string | undefined; limit: number },
): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.username) q = q.where('username', '=', filter.username);
  if (filter.action) q = q.where('action', '=', filter.action);
  return (await q.execute()).map((r) => ({
    id: r.id,
    at: r.at,
    username: r.username,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    details: r.details,
    clientIp: r.client_ip,
  }));
}
