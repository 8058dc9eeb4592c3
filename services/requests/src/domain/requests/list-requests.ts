// An agency's own requests, newest first (GET /v1/requests), optionally in one status.
import type { Kysely } from 'kysely';
import { listRequestsOfAgency } from '../../db/request-repository.ts';
import type { Database } from '../../db/schema.ts';
import type { Principal } from '../auth/verify-access-token.ts';

export async function listRequests(
  { db }: { db: Kysely<Database> },
  { principal, status }: { principal: Principal; status?: string | undefined },
) {
  const rows = await listRequestsOfAgency(db, principal.agencyId, status);
  return {
    items: rows.map((r) => ({
      id: r.id,
      status: r.status,
      dueAt: new Date(r.due_at).toISOString(),
      receivedAt: new Date(r.received_at).toISOString(),
    })),
  };
}
