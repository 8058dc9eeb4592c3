// Whether a refused input left anything in its service's database. Other tests and engineers
// write to the same databases while the suite runs, so row counts of whole tables prove nothing;
// instead every free-text string of an input carries a marker unique to that input (`fzm` and 12
// characters), and after a route's runs every table of the service's database, outbox included,
// is searched for markers: one found that belongs to a refused input is a partial write (or an
// event that should not exist). Audit tables are left out: recording a refused attempt (a failed
// CSRF or permission check) is their job.
import { createSqlPool, serviceDatabaseUrl } from '@hopthu/shared/testing';
import type pg from 'pg';

export const MARKER_PATTERN = 'fzm[a-z0-9]{12}';

export class MarkerScanner {
  private readonly pools = new Map<string, pg.Pool>();

  private pool(service: string): pg.Pool {
    let pool = this.pools.get(service);
    if (!pool) {
      pool = createSqlPool(serviceDatabaseUrl(service));
      this.pools.set(service, pool);
    }
    return pool;
  }

  /** Every fuzz marker found in the service's tables, with the table it is in. */
  async markersIn(service: string): Promise<Map<string, string>> {
    const pool = this.pool(service);
    const tables = await pool.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
          AND table_name NOT LIKE '%audit%'`,
    );
    const found = new Map<string, string>();
    for (const t of tables.rows) {
      const ident = `"${t.schema.replaceAll('"', '""')}"."${t.name.replaceAll('"', '""')}"`;
      const rows = await pool.query<{ m: string }>(
        `SELECT DISTINCT (regexp_matches(x::text, '${MARKER_PATTERN}', 'g'))[1] AS m FROM ${ident} x
          WHERE x::text ~ '${MARKER_PATTERN}'`,
      );
      for (const r of rows.rows) found.set(r.m, `${t.schema}.${t.name}`);
    }
    return found;
  }

  async close() {
    await Promise.all([...this.pools.values()].map((p) => p.end()));
    this.pools.clear();
  }
}
