// Figures Prometheus reads on scrape (see @hopthu/shared/metrics): deliveries by kind and status,
// attempts by outcome, deadline timers due and not yet fired, open requests at risk of their deadline.
import { sql, type Kysely } from 'kysely';
import type { NotifierDb } from './schema.ts';

export async function deliveriesByStatus(
  db: Kysely<NotifierDb>,
): Promise<{ kind: string; status: string; n: number }[]> {
  const { rows } = await sql<{ kind: string; status: string; n: number }>`
    SELECT kind, status, count(*)::int AS n FROM deliveries GROUP BY kind, status`.execute(db);
  return rows;
}

export async function deliveryAttemptsByOutcome(
  db: Kysely<NotifierDb>,
): Promise<{ kind: string; outcome: string; n: number }[]> {
  const { rows } = await sql<{ kind: string; outcome: string; n: number }>`
    SELECT d.kind, a.outcome, count(*)::int AS n
    FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
    GROUP BY d.kind, a.outcome`.execute(db);
  return rows;
}

/** Timers whose time has come and that neither fired nor were cancelled (the sweeper is behind). */
export async function timersDue(db: Kysely<NotifierDb>, now: Date): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM deadline_timers
    WHERE fire_at <= ${now} AND fired_at IS NULL AND cancelled_at IS NULL`.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * Open requests by how their deadline stands: `overdue` (past it), `due_24h` (due within a day),
 * `past_half_time` (more than half the time gone, not yet in the last day).
 */
export async function requestsAtRisk(
  db: Kysely<NotifierDb>,
  now: Date,
): Promise<{ risk: string; n: number }[]> {
  const { rows } = await sql<{ risk: string; n: number }>`
    SELECT risk, count(*)::int AS n FROM (
      SELECT CASE
        WHEN due_at <= ${now} THEN 'overdue'
        WHEN due_at <= ${now}::timestamptz + interval '24 hours' THEN 'due_24h'
        WHEN received_at + (due_at - received_at) / 2 <= ${now} THEN 'past_half_time'
      END AS risk
      FROM deadlines WHERE closed_at IS NULL
    ) d WHERE risk IS NOT NULL GROUP BY risk`.execute(db);
  return rows;
}
