// PUT and PATCH /Users/{id}: the provider's new view of the User becomes one request of the
// agency (job and department, a transfer named by `organization`, suspend for `active: false`,
// restore for `active: true`), filed through the same path as the agency API's, with the User's
// new state written in the request's transaction. Only userName or externalId changed: no request.
// One change at a time: while an earlier one is under way, 409. The User's version is checked
// twice: If-Match against what the provider read, and the stored version against a concurrent
// change (412 either way).
import { AppError } from '@hopthu/shared/errors';
import { countUnfinishedScimItems, updateScimUser } from '../../db/scim-repository.ts';
import type { Principal } from '../auth/verify-access-token.ts';
import { submitRequest } from '../requests/submit-request.ts';
import {
  checkIfMatch,
  db,
  loadOwnUser,
  preconditionFailed,
  resolveOrganization,
  resourceOf,
  type ScimDeps,
  scimRequest,
} from './scim-context.ts';
import { scimError } from './scim-errors.ts';
import { applyScimPatch } from './scim-patch.ts';
import { planUserChange, readUserInput } from './scim-user-mapping.ts';

/** Which User changes, as which version (If-Match), and its new content. */
export interface ScimUserChange {
  principal: Principal;
  id: string;
  ifMatch: string | undefined;
  body: unknown;
}

async function changeScimUser(
  deps: ScimDeps,
  { principal, id, ifMatch }: ScimUserChange,
  next: (current: Record<string, unknown>) => unknown,
) {
  const row = await loadOwnUser(deps, { principal, id });
  const current = resourceOf(deps, row);
  checkIfMatch(ifMatch, (current.meta as { version: string }).version);
  const input = readUserInput(next(current));
  // Without `organization` the person stays where they are (a PUT of the core attributes alone
  // must not move anyone); with one, it names the unit.
  const organization = input.person.organization ?? row.person.organization;
  const agencyId =
    input.person.organization === undefined || input.person.organization === row.person.organization
      ? row.agencyId
      : await resolveOrganization(deps, {
          principal,
          organization: input.person.organization,
          fallback: row.agencyId,
        });
  const person = { ...input.person, ...(organization ? { organization } : {}) };
  const { items } = planUserChange(row, input, agencyId);
  if (items.length > 0 && (!row.mailbox || row.mailbox.state === 'deleted'))
    throw scimError(409, undefined, {
      vi: `Hộp thư của người dùng chưa sẵn sàng (${row.mailbox?.state ?? row.itemStatus}); hãy thử lại khi hộp thư đã được tạo`,
      en: `The user's mailbox is not ready (${row.mailbox?.state ?? row.itemStatus}); try again once it exists`,
    });
  // The directory takes separate requests in any order: a suspend and a restore filed a moment
  // apart could end the wrong way round, so a change waits until the user's last one has ended.
  if (items.length > 0 && (await countUnfinishedScimItems(db(deps), row.id)) > 0)
    throw scimError(409, undefined, {
      vi: 'Thay đổi trước của người dùng này chưa xong; hãy thử lại sau',
      en: "The user's previous change has not finished yet; try again later",
    });
  const write = async (trx: Parameters<typeof updateScimUser>[0]) => {
    const set = {
      userName: input.userName,
      externalId: input.externalId,
      person,
      agencyId,
      at: deps.submit.clock.now(),
    };
    if (!(await updateScimUser(trx, row.id, row.version, set))) throw preconditionFailed();
  };
  try {
    if (items.length === 0) await db(deps).transaction().execute(write);
    else
      await submitRequest(deps.submit, {
        principal,
        idempotencyKey: `scim:${row.id}:v${row.version}`,
        body: scimRequest(deps, { principal, userId: row.id, items }),
        alsoStore: write,
      });
  } catch (err) {
    // the same version changed twice at once: the other change won
    if (err instanceof AppError && err.code === 'idempotency_conflict') throw preconditionFailed();
    if (!(err instanceof AppError) && (err as { code?: string }).code === '23505')
      throw scimError(409, 'uniqueness', {
        vi: `userName "${input.userName}" đã có trong cơ quan`,
        en: `userName "${input.userName}" already exists in the agency`,
      });
    throw err;
  }
  return resourceOf(deps, await loadOwnUser(deps, { principal, id }));
}

/** PUT: the body is the whole User (RFC 7644 §3.5.1). */
export function replaceScimUser(deps: ScimDeps, change: ScimUserChange) {
  return changeScimUser(deps, change, () => change.body);
}

/** PATCH: the operations applied to the User as it is (RFC 7644 §3.5.2). */
export function patchScimUser(deps: ScimDeps, change: ScimUserChange) {
  return changeScimUser(deps, change, (current) => applyScimPatch(current, change.body));
}
