// What the SCIM use cases share: their dependencies, the User an agency may see (another agency's
// and a missing one answer the same 404), the agency the enterprise `organization` names, the
// If-Match check, and the request a SCIM change files through the agency's own request path
// (the same approval, naming, history, events and idempotency as a request of the agency API).
import type { Kysely } from 'kysely';
import { findAgencyAndDescendants } from '../../db/replica-repository.ts';
import { findScimUser, linkScimMailbox, type ScimUserRow } from '../../db/scim-repository.ts';
import type { Database } from '../../db/schema.ts';
import type { Principal } from '../auth/verify-access-token.ts';
import type { SubmitBody } from '../requests/submission.ts';
import type { SubmitDeps } from '../requests/submit-request.ts';
import { scimError } from './scim-errors.ts';
import { type ScimUserView, toScimUser } from './scim-user-mapping.ts';

export interface ScimDeps {
  /** What submitting a request needs (db, clock, ids, keys, policies). */
  submit: SubmitDeps;
  /** The SCIM base URL, `<PUBLIC_URL>/scim/v2`, for `meta.location` and `$ref`. */
  base: string;
}

export const db = (deps: ScimDeps): Kysely<Database> => deps.submit.db;

export const userNotFound = () =>
  scimError(404, undefined, { vi: 'Không tìm thấy người dùng', en: 'User not found' });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A live User of the principal's agency or a sub-unit, its mailbox linked once the replica has it. */
export async function loadOwnUser(
  deps: ScimDeps,
  { principal, id }: { principal: Principal; id: string },
): Promise<ScimUserRow> {
  if (!UUID.test(id)) throw userNotFound();
  const row = await findScimUser(db(deps), id);
  if (!row?.ancestorIds.includes(principal.agencyId)) throw userNotFound();
  return linked(deps, row);
}

/** Records the mailbox a create item made the first time the User is read after it exists. */
export async function linked(deps: ScimDeps, row: ScimUserRow): Promise<ScimUserRow> {
  if (!row.linked && row.mailbox) {
    await linkScimMailbox(db(deps), row.id, row.mailbox.mailboxId);
    return { ...row, linked: true };
  }
  return row;
}

export const viewOf = (row: ScimUserRow): ScimUserView => row;

export const resourceOf = (deps: ScimDeps, row: ScimUserRow) => toScimUser(viewOf(row), deps.base);

/**
 * The agency `organization` names: the id, abbreviation or name of the principal's agency or one
 * of its sub-units. Without one, `fallback`. Anything else (another agency's, an unknown one) is
 * the same 400, so agency ids cannot be probed.
 */
export async function resolveOrganization(
  deps: ScimDeps,
  {
    principal,
    organization,
    fallback,
  }: { principal: Principal; organization: string | undefined; fallback: string },
): Promise<string> {
  if (organization === undefined) return fallback;
  const tree = await findAgencyAndDescendants(db(deps), principal.agencyId);
  const wanted = organization.normalize('NFC');
  const found =
    tree.find((a) => a.agency_id === wanted) ??
    tree.find((a) => a.abbreviation.toLowerCase() === wanted.toLowerCase()) ??
    tree.find((a) => a.name.normalize('NFC') === wanted);
  if (!found)
    throw scimError(
      400,
      'invalidValue',
      {
        vi: 'organization không phải cơ quan của ứng dụng hay đơn vị trực thuộc',
        en: "organization is not the client's agency or one of its sub-units",
      },
      [
        {
          field: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization',
          message: { vi: 'không thuộc cơ quan', en: 'not within the agency' },
        },
      ],
    );
  return found.agency_id;
}

/** If-Match (RFC 7644 §3.14): `*`, or one of the listed versions must be the current one. */
export function checkIfMatch(ifMatch: string | undefined, version: string): void {
  if (ifMatch === undefined) return;
  const tags = ifMatch.split(',').map((t) => t.trim());
  if (tags.includes('*') || tags.includes(version) || tags.includes(version.replace(/^W\//, ''))) return;
  throw preconditionFailed();
}

export const preconditionFailed = () =>
  scimError(412, undefined, {
    vi: 'Người dùng đã thay đổi kể từ phiên bản đã đọc (If-Match); hãy đọc lại',
    en: 'The user changed since the version read (If-Match); read it again',
  });

const todayInVietnam = (now: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(now);

/**
 * The request a SCIM change files: the client's own agency acts (a unit's person is named by the
 * item), the client is the requester, and the reference names the SCIM user, as a paper form
 * names its letter.
 */
export function scimRequest(
  deps: ScimDeps,
  { principal, userId, items }: { principal: Principal; userId: string; items: SubmitBody['items'] },
): SubmitBody {
  return {
    agencyId: principal.agencyId,
    requester: { fullName: `SCIM (${principal.clientId})`.slice(0, 200) },
    reference: { number: `SCIM/${userId}`, date: todayInVietnam(deps.submit.clock.now()) },
    items,
  };
}
