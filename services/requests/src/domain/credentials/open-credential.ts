// The one-time credential of a created mailbox (GET /v1/requests/{id}/items/{itemId}/credential):
// the password is handed out once and erased in the same transaction. The row lock makes
// concurrent opens queue, so exactly one of them gets the password and the others 410. An
// operator opens, the same way once, the credential of a request an operator filed (a password
// reset on a report: the console shows it once to the operator who reads it out).
import type { Clock } from '@hopthu/shared/clock';
import { AppError } from '@hopthu/shared/errors';
import type { Kysely } from 'kysely';
import { lockCredential, markCredentialOpened } from '../../db/credential-repository.ts';
import type { Database } from '../../db/schema.ts';
import type { Principal } from '../auth/verify-access-token.ts';
import { requestNotFound } from '../requests/request-errors.ts';
import { type DataKeys, decrypt } from '../secrets.ts';

export interface OpenCredentialDeps {
  db: Kysely<Database>;
  dataKey: DataKeys;
  clock: Clock;
  /** The caller's logger (a route passes request.log, so the line carries the request id). */
  logger: { info: (fields: Record<string, unknown>, message: string) => void };
}

export async function openCredential(
  deps: OpenCredentialDeps,
  input: { principal: Principal | { operator: string }; requestId: string; itemId: string },
) {
  const { principal } = input;
  const mayOpen = (row: { client_agency_id: string; client_id: string }) =>
    'operator' in principal
      ? row.client_id.startsWith('operator:')
      : row.client_agency_id === principal.agencyId;
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockCredential(trx, input.requestId, input.itemId);
    if (!row || !mayOpen(row) || row.status !== 'completed') throw requestNotFound();
    const now = deps.clock.now();
    if (!row.password_enc || new Date(row.expires_at) < now) {
      throw new AppError('gone', {
        vi: 'Liên kết đã được dùng hoặc đã hết hạn',
        en: 'This one-time link was already used or has expired',
      });
    }
    await markCredentialOpened(trx, row.item_id, now);
    deps.logger.info(
      { itemId: row.item_id, ...('operator' in principal ? { operator: principal.operator } : {}) },
      'one-time credential opened',
    );
    return { address: row.result_address, password: decrypt(deps.dataKey, row.password_enc) };
  });
}
