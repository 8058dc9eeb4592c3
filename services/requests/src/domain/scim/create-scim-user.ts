// POST /Users: a person's personal mailbox asked for through the agency's own request path. The
// User and its create request commit in one transaction (exactly once: a crash leaves neither), and
// the province's approval and naming decide as for any request; the answer carries the address
// once the directory has assigned it, and `active` follows the mailbox.
import { AppError } from '@hopthu/shared/errors';
import { listItems } from '../../db/item-repository.ts';
import { findScimUserByUserName, insertScimUser } from '../../db/scim-repository.ts';
import type { Principal } from '../auth/verify-access-token.ts';
import { submitRequest } from '../requests/submit-request.ts';
import {
  db,
  loadOwnUser,
  resolveOrganization,
  resourceOf,
  type ScimDeps,
  scimRequest,
} from './scim-context.ts';
import { scimError } from './scim-errors.ts';
import { readUserInput } from './scim-user-mapping.ts';

const taken = (userName: string) =>
  scimError(409, 'uniqueness', {
    vi: `userName "${userName}" đã có trong cơ quan`,
    en: `userName "${userName}" already exists in the agency`,
  });

export async function createScimUser(
  deps: ScimDeps,
  { principal, body }: { principal: Principal; body: unknown },
) {
  const input = readUserInput(body);
  if (await findScimUserByUserName(db(deps), principal.agencyId, input.userName)) throw taken(input.userName);
  const agencyId = await resolveOrganization(deps, {
    principal,
    organization: input.person.organization,
    fallback: principal.agencyId,
  });
  const id = deps.submit.newId();
  const { person } = input;
  const item = {
    operation: 'create' as const,
    mailboxType: 'personal' as const,
    agencyId,
    person: {
      familyName: person.familyName,
      middleName: person.middleName,
      givenName: person.givenName,
      ...(person.title ? { position: person.title } : {}),
      ...(person.department ? { department: person.department } : {}),
    },
    reason: `SCIM: ${input.userName}`.slice(0, 1000),
  };
  try {
    await submitRequest(deps.submit, {
      principal,
      idempotencyKey: `scim:${id}:create`,
      body: scimRequest(deps, { principal, userId: id, items: [item] }),
      alsoStore: async (trx, requestId) =>
        insertScimUser(trx, {
          id,
          clientAgencyId: principal.agencyId,
          agencyId,
          userName: input.userName,
          externalId: input.externalId,
          person,
          createItemId: (await listItems(trx, requestId))[0]!.id,
          at: deps.submit.clock.now(),
        }),
    });
  } catch (err) {
    // Two creates of one userName at once: the unique index keeps one, the other is told so.
    if (err instanceof AppError || (err as { code?: string }).code !== '23505') throw err;
    throw taken(input.userName);
  }
  return resourceOf(deps, await loadOwnUser(deps, { principal, id }));
}
