// Items waiting for an operator to choose the address (provinces whose rule leaves collisions to
// the operator, e.g. Khánh Hòa and Thanh Hóa).
import type { Kysely, Selectable } from 'kysely';
import type { DirectoryDatabase, PendingDecisionsTable } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

export interface PendingDecision {
  id: string;
  itemId: string;
  requestId: string;
  agencyId: string;
  province: string;
  item: unknown;
  candidates: string[];
  reason: string;
  correlationId: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  decidedAddress: string | null;
}

function toDecision(row: Selectable<PendingDecisionsTable>): PendingDecision {
  return {
    id: row.id,
    itemId: row.item_id,
    requestId: row.request_id,
    agencyId: row.agency_id,
    province: row.province,
    item: row.item,
    candidates: row.candidates,
    reason: row.reason,
    correlationId: row.correlation_id,
    createdAt: new Date(row.created_at),
    decidedAt: row.decided_at ? new Date(row.decided_at) : null,
    decidedAddress: row.decided_address,
  };
}

export async function insertPendingDecision(
  db: Db,
  d: Omit<PendingDecision, 'createdAt' | 'decidedAt' | 'decidedAddress'>,
  at: Date,
): Promise<boolean> {
  const result = await db
    .insertInto('pending_decisions')
    .values({
      id: d.id,
      item_id: d.itemId,
      request_id: d.requestId,
      agency_id: d.agencyId,
      province: d.province,
      item: JSON.stringify(d.item),
      candidates: d.candidates,
      reason: d.reason,
      correlation_id: d.correlationId,
      created_at: at,
    })
    .onConflict((oc) => oc.column('item_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function listOpenDecisions(db: Db): Promise<PendingDecision[]> {
  const rows = await db
    .selectFrom('pending_decisions')
    .selectAll()
    .where('decided_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map(toDecision);
}

export async function findDecisionForUpdate(db: Db, id: string): Promise<PendingDecision | null> {
  const row = await db
    .selectFrom('pending_decisions')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ? toDecision(row) : null;
}

export async function markDecided(db: Db, id: string, address: string, by: string, at: Date): Promise<void> {
  await db
    .updateTable('pending_decisions')
    .set({ decided_at: at, decided_address: address, decided_by: by })
    .where('id', '=', id)
    .execute();
}
