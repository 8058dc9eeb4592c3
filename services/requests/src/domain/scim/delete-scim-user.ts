// DELETE /Users/{id}: the mailbox is deleted through the agency's request path, under the same
// safety valve (the province's approval policy; many deletes at once wait for two operators), and
// the User is gone (404) from then on. A User whose create was rejected or failed has no mailbox:
// only the User goes. One whose create is still under way cannot be deleted yet (409).
import { countUnfinishedScimItems, markScimUserDeleted } from '../../db/scim-repository.ts';
import type { Principal } from '../auth/verify-access-token.ts';
import { submitRequest } from '../requests/submit-request.ts';
import {
  checkIfMatch,
  db,
  loadOwnUser,
  preconditionFailed,
  resourceOf,
  type ScimDeps,
  scimRequest,
} from './scim-context.ts';
import { scimError } from './scim-errors.ts';

export async function deleteScimUser(
  deps: ScimDeps,
  { principal, id, ifMatch }: { principal: Principal; id: string; ifMatch: string | undefined },
) {
  const row = await loadOwnUser(deps, { principal, id });
  checkIfMatch(ifMatch, (resourceOf(deps, row).meta as { version: string }).version);
  const forget = async (trx: Parameters<typeof markScimUserDeleted>[0]) => {
    if (!(await markScimUserDeleted(trx, row.id, row.version, deps.submit.clock.now())))
      throw preconditionFailed();
  };
  const mailbox = row.mailbox;
  if (mailbox && mailbox.state !== 'deleted') {
    if ((await countUnfinishedScimItems(db(deps), row.id)) > 0)
      throw scimError(409, undefined, {
        vi: 'Thay đổi trước của người dùng này chưa xong; hãy xóa sau',
        en: "The user's previous change has not finished yet; delete it later",
      });
    const item = {
      operation: 'delete' as const,
      mailboxType: 'personal' as const,
      address: mailbox.address,
      reason: `SCIM DELETE: ${row.userName}`.slice(0, 1000),
    };
    await submitRequest(deps.submit, {
      principal,
      idempotencyKey: `scim:${row.id}:v${row.version}:delete`,
      body: scimRequest(deps, { principal, userId: row.id, items: [item] }),
      alsoStore: forget,
    });
    return;
  }
  if (!mailbox && !['rejected', 'failed'].includes(row.itemStatus))
    throw scimError(409, undefined, {
      vi: `Hộp thư của người dùng đang được tạo (${row.itemStatus}); hãy xóa sau khi hộp thư đã được tạo`,
      en: `The user's mailbox is still being created (${row.itemStatus}); delete it once it exists`,
    });
  await db(deps).transaction().execute(forget);
}
