// Figures Prometheus reads on scrape (see @hopthu/shared/metrics): items by operation and outcome.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Items by operation (create, change, delete…) and status (pending, completed, failed…). */
export async function itemsByOperationAndStatus(
  db: Kysely<Database>,
): Promise<{ operation: string; status: string; n: number }[]> {
  const rows = await db
    .selectFrom('request_items')
    .select(['operation', 'status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy(['operation', 'status'])
    .execute();
  return rows.map((r) => ({ operation: r.operation, status: r.status, n: Number(r.n) }));
}
