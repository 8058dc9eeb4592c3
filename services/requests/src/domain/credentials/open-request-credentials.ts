// Every one-time credential of a bulk request in one call (POST /v1/requests/{id}/credentials):
// the passwords of all its completed items not yet handed out, each erased in the same
// transaction as with the single link, so a 500-person request is fetched with one call instead
// of 500 (and within the per-client rate limit). A credential already opened, expired, or of an
// item not completed yet is not in the answer; a later call returns the ones completed since.
import type { Clock } from '@hopthu/shared/clock';
import type { Kysely } from 'kysely';
import { lockOpenableCredentials, markCredentialsOpened } from '../../db/credential-repository.ts';
import { findRequestStatus } from '../../db/request-repository.ts';
import type { Database } from '../../db/schema.ts';
import type { Principal } from '../auth/verify-access-token.ts';
import { requestNotFound } from '../requests/request-errors.ts';
import { type DataKeys, decrypt } from '../secrets.ts';

export async function openRequestCredentials(
  deps: {
    db: Kysely<Database>;
    dataKey: DataKeys;
    clock: Clock;
    logger: { info: (fields: Record<string, unknown>, message: string) => void };
  },
  { principal, requestId }: { principal: Principal; requestId: string },
): Promise<{ credentials: { itemId: string; address: string | null; password: string }[] }> {
  return deps.db.transaction().execute(async (trx) => {
    const request = await findRequestStatus(trx, requestId);
    if (!request || request.client_agency_id !== principal.agencyId) throw requestNotFound();
    const now = deps.clock.now();
    const rows = await lockOpenableCredentials(trx, requestId, now);
    await markCredentialsOpened(
      trx,
      rows.map((r) => r.item_id),
      now,
    );
    deps.logger.info({ requestId, opened: rows.length }, 'one-time credentials opened in bulk');
    return {
      credentials: rows.map((r) => ({
        itemId: r.item_id,
        address: r.result_address,
        password: decrypt(deps.dataKey, r.password_enc),
      })),
    };
  });
}
