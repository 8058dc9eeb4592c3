// The audit log becomes append-only and hash-chained (design §6): each entry stores the hash of
// the entry before it (prev_hash) and its own (hash): SHA-256, hex, over a canonical JSON of its
// content and prev_hash. Existing entries are chained here in id order. Triggers refuse UPDATE,
// DELETE and TRUNCATE; the chain detects a change made around them (by the table's owner).
// Frozen: the canonical form below is a copy of src/domain/audit/audit-chain.ts at version 1, on
// purpose (migrations import nothing from the app).
import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

const GENESIS = '0'.repeat(64);

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

interface Row {
  id: string;
  at: Date;
  operator_id: string | null;
  username: string;
  action: string;
  target: string | null;
  outcome: string;
  details: Record<string, unknown>;
  client_ip: string | null;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`LOCK TABLE audit_log IN EXCLUSIVE MODE`.execute(db);
  await sql`ALTER TABLE audit_log ADD COLUMN prev_hash text, ADD COLUMN hash text`.execute(db);
  let prev = GENESIS;
  let after = '0';
  for (;;) {
    const { rows } = await sql<Row>`
      SELECT id::text AS id, at, operator_id, username, action, target, outcome, details, client_ip
      FROM audit_log WHERE id > ${after}::bigint ORDER BY id LIMIT 1000`.execute(db);
    if (rows.length === 0) break;
    for (const r of rows) {
      const hash = createHash('sha256')
        .update(
          canonical({
            v: 1,
            at: r.at.toISOString(),
            operatorId: r.operator_id,
            username: r.username,
            action: r.action,
            target: r.target,
            outcome: r.outcome,
            details: r.details,
            clientIp: r.client_ip,
            prevHash: prev,
          }),
          'utf8',
        )
        .digest('hex');
      await sql`UPDATE audit_log SET prev_hash = ${prev}, hash = ${hash} WHERE id = ${r.id}::bigint`.execute(
        db,
      );
      prev = hash;
      after = r.id;
    }
  }
  await sql`ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL`.execute(
    db,
  );
  // One entry per predecessor: two writers racing past the lock would fail instead of forking.
  await sql`CREATE UNIQUE INDEX audit_log_prev_hash_idx ON audit_log (prev_hash)`.execute(db);
  await sql`
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log`.execute(db);
  await sql`DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log`.execute(db);
  await sql`DROP FUNCTION IF EXISTS audit_log_append_only()`.execute(db);
  await sql`DROP INDEX IF EXISTS audit_log_prev_hash_idx`.execute(db);
  await sql`ALTER TABLE audit_log DROP COLUMN hash, DROP COLUMN prev_hash`.execute(db);
}
