// The one-time credentials of mailboxes imported without a password (issue 11): the directory
// lists them per agency (`directory.import-credentials.v1`) once the mail server has them, and this
// files them as the agency's `reset_password` request, under the province's approval policy like
// any request. From there it is a new mailbox's path: a password generated and sealed per item, its
// hash set on the mail server through the directory, the agency's result mail and webhook, and the
// one-time credential links (`POST /v1/requests/{id}/credentials`) its API client opens once.
// Idempotent: the same part filed again answers the same request.
import type { ImportCredentialsRequested } from '@hopthu/shared/events';
import { findLiveMailboxesByAddress } from '../../db/replica-repository.ts';
import type { SubmitDeps } from '../requests/submit-request.ts';
import { submitRequest } from '../requests/submit-request.ts';

/** Who files them: the request history shows `client:system:import`. */
export const IMPORT_CLIENT_ID = 'system:import';

export function importCredentialsRequest(data: ImportCredentialsRequested, today: string) {
  return {
    agencyId: data.agencyId,
    requester: { fullName: 'Hệ thống hopthu: nhập hộp thư từ hệ thống thư cũ' },
    reference: {
      number: `NHAP-${data.jobId.slice(0, 8)}-${data.part}/${data.parts}`,
      date: today,
    },
    items: data.mailboxes.map((m) => ({
      operation: 'reset_password' as const,
      address: m.address,
      reason:
        'Cấp mật khẩu lần đầu: hộp thư được nhập từ hệ thống thư cũ không kèm mật khẩu / first password of a mailbox imported without one',
    })),
  };
}

export async function fileImportCredentials(
  deps: SubmitDeps,
  data: ImportCredentialsRequested,
): Promise<{ requestId: string }> {
  // the directory's mailbox states travel on other keys of the same topic: wait (retried in place)
  // until this service's replica has every mailbox live, or the request would be refused
  const known = await findLiveMailboxesByAddress(
    deps.db,
    data.mailboxes.map((m) => m.address),
  );
  const missing = data.mailboxes.filter((m) => known.get(m.address)?.state !== 'active');
  if (missing.length > 0) {
    throw new Error(
      `the replica does not have ${missing.length} imported mailboxes active yet (first ${missing[0]?.address}); retrying`,
    );
  }
  const today = new Date(deps.clock.now().getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  const answer = await submitRequest(deps, {
    principal: { clientId: IMPORT_CLIENT_ID, agencyId: data.agencyId },
    idempotencyKey: `import-credentials:${data.jobId}:${data.agencyId}:${data.part}`,
    body: importCredentialsRequest(data, today),
  });
  return { requestId: String(answer.id) };
}
