// SCIM User ↔ hopthu: what a provider's User says (names, job, department, agency, active, with
// the string booleans "True"/"False" some providers send), the User hopthu answers (the mailbox's
// address and state joined in, an ETag computed from the representation), and the request items
// that turn a change of the User into the agency's own request path. Pure.
import { createHash } from 'node:crypto';
import type { FieldError } from '@hopthu/shared/errors';
import type { ScimPerson } from '../../db/schema.ts';
import type { SubmitBody } from '../requests/submission.ts';
import { SCIM } from './scim-discovery.ts';
import { scimError } from './scim-errors.ts';

/** What a provider may set on a User. */
export interface ScimUserInput {
  userName: string;
  externalId: string | null;
  person: ScimPerson;
  active: boolean;
}

/** A stored User with its create item, its mailbox (once it exists) and its agency. */
export interface ScimUserView {
  id: string;
  userName: string;
  externalId: string | null;
  person: ScimPerson;
  agencyId: string;
  agencyName: string;
  requestId: string;
  itemStatus: string;
  mailbox: { mailboxId: string; address: string; state: string } | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

type Item = SubmitBody['items'][number];

const LIMITS = {
  userName: 200,
  externalId: 200,
  familyName: 60,
  middleName: 80,
  givenName: 60,
  title: 200,
  department: 200,
  organization: 100,
};

/** SCIM booleans as providers send them: true/false, or the strings "True"/"False" (any case). */
export function scimBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return undefined;
}

/** Attribute names are case-insensitive in SCIM (RFC 7643 §2.1): the value of `name` in any case. */
function member(o: unknown, name: string): unknown {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const key = Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (o as Record<string, unknown>)[key];
}

/**
 * A provider's User (POST, PUT, or the result of a PATCH) as hopthu's input. Read-only and
 * unknown attributes (emails, phoneNumbers, password…) are ignored, as RFC 7644 §3.3 lets a
 * provider do; what is wrong is refused with every failing attribute named in both languages.
 */
export function readUserInput(body: unknown): ScimUserInput {
  const errors: FieldError[] = [];
  const fail = (field: string, vi: string, en: string) => errors.push({ field, message: { vi, en } });
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw scimError(400, 'invalidSyntax', {
      vi: 'Nội dung phải là một đối tượng JSON',
      en: 'The body must be a JSON object',
    });
  const schemas = member(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.includes(SCIM.user))
    fail('schemas', `Phải có ${SCIM.user}`, `must include ${SCIM.user}`);
  const text = (field: string, value: unknown, max: number, required: boolean): string | undefined => {
    if (value === undefined || value === null || value === '') {
      if (required) fail(field, 'Bắt buộc', 'required');
      return undefined;
    }
    if (typeof value !== 'string') {
      fail(field, 'Phải là chuỗi ký tự', 'must be a string');
      return undefined;
    }
    const v = value.normalize('NFC').trim();
    if (required && v === '') fail(field, 'Bắt buộc', 'required');
    if (v.length > max) fail(field, `Dài quá ${max} ký tự`, `longer than ${max} characters`);
    return v;
  };
  const userName = text('userName', member(body, 'userName'), LIMITS.userName, true);
  const externalId = text('externalId', member(body, 'externalId'), LIMITS.externalId, false);
  const name = member(body, 'name');
  if (name !== undefined && (typeof name !== 'object' || name === null || Array.isArray(name)))
    fail('name', 'Phải là một đối tượng', 'must be an object');
  const familyName = text('name.familyName', member(name, 'familyName'), LIMITS.familyName, true);
  const givenName = text('name.givenName', member(name, 'givenName'), LIMITS.givenName, true);
  const middleName = text('name.middleName', member(name, 'middleName'), LIMITS.middleName, false);
  const title = text('title', member(body, 'title'), LIMITS.title, false);
  const enterprise = member(body, SCIM.enterprise);
  const department = text(
    `${SCIM.enterprise}:department`,
    member(enterprise, 'department'),
    LIMITS.department,
    false,
  );
  const organization = text(
    `${SCIM.enterprise}:organization`,
    member(enterprise, 'organization'),
    LIMITS.organization,
    false,
  );
  const rawActive = member(body, 'active');
  const active = rawActive === undefined || rawActive === null ? true : scimBoolean(rawActive);
  if (active === undefined)
    fail('active', 'Phải là true/false (hoặc "True"/"False")', 'must be true or false (or "True"/"False")');
  if (errors.length > 0)
    throw scimError(
      400,
      'invalidValue',
      { vi: 'Người dùng SCIM không hợp lệ', en: 'The SCIM user is invalid' },
      errors,
    );
  return {
    userName: userName!,
    externalId: externalId ?? null,
    person: {
      familyName: familyName!,
      middleName: middleName ?? '',
      givenName: givenName!,
      ...(title ? { title } : {}),
      ...(department ? { department } : {}),
      ...(organization ? { organization } : {}),
    },
    active: active!,
  };
}

/** `Trần Văn Anh`: family name first, as Vietnamese names are written. */
export const fullName = (p: ScimPerson) =>
  [p.familyName, p.middleName, p.givenName].filter(Boolean).join(' ');

/** A weak ETag of the representation: it changes when anything the provider reads changes. */
export function versionOf(resource: Record<string, unknown>): string {
  const { meta: _meta, ...rest } = resource;
  return `W/"${createHash('sha256').update(JSON.stringify(rest)).digest('base64url').slice(0, 22)}"`;
}

/** A create that ended so: the User will never have a mailbox. */
const ENDED_WITHOUT_MAILBOX = ['rejected', 'failed'];

/**
 * The User as SCIM answers it. `active` follows the mailbox; before it exists, it is what was asked
 * (true) unless the create was rejected or failed, so a provider that sends the User back as it
 * read it asks for nothing.
 */
export function toScimUser(v: ScimUserView, base: string): Record<string, unknown> {
  const { person } = v;
  const resource: Record<string, unknown> = {
    schemas: [SCIM.user, SCIM.enterprise, SCIM.mailbox],
    id: v.id,
    ...(v.externalId ? { externalId: v.externalId } : {}),
    userName: v.userName,
    name: {
      formatted: fullName(person),
      familyName: person.familyName,
      ...(person.middleName ? { middleName: person.middleName } : {}),
      givenName: person.givenName,
    },
    displayName: fullName(person),
    ...(person.title ? { title: person.title } : {}),
    active: v.mailbox ? v.mailbox.state === 'active' : !ENDED_WITHOUT_MAILBOX.includes(v.itemStatus),
    emails: v.mailbox ? [{ value: v.mailbox.address, type: 'work', primary: true }] : [],
    groups: [{ value: v.agencyId, display: v.agencyName, $ref: `${base}/Groups/${v.agencyId}` }],
    [SCIM.enterprise]: {
      ...(person.department ? { department: person.department } : {}),
      organization: person.organization ?? v.agencyId,
    },
    [SCIM.mailbox]: {
      status: v.mailbox?.state ?? v.itemStatus,
      requestId: v.requestId,
      agencyId: v.agencyId,
    },
  };
  resource.meta = {
    resourceType: 'User',
    created: v.createdAt.toISOString(),
    lastModified: v.updatedAt.toISOString(),
    location: `${base}/Users/${v.id}`,
    version: versionOf(resource),
  };
  return resource;
}

/**
 * The items that bring the mailbox from what the User was to what the provider now says, for one
 * request: job, department and agency in an `update`, then `suspend` or `restore` for `active`.
 * Names cannot change (the address was made from them): a change is refused with `mutability`.
 */
export function planUserChange(
  before: ScimUserView,
  after: ScimUserInput,
  afterAgencyId: string,
): { items: Item[] } {
  const b = before.person;
  const a = after.person;
  if (b.familyName !== a.familyName || b.middleName !== a.middleName || b.givenName !== a.givenName)
    throw scimError(
      400,
      'mutability',
      {
        vi: 'Không đổi được họ tên của hộp thư (địa chỉ được tạo từ họ tên); hãy tạo người dùng mới',
        en: 'The name of a mailbox cannot change (its address was made from it); create a new user instead',
      },
      [{ field: 'name', message: { vi: 'không đổi được', en: 'immutable' } }],
    );
  const address = before.mailbox?.address;
  const changes: NonNullable<Item['changes']> = {};
  if ((b.title ?? '') !== (a.title ?? '')) changes.position = a.title ?? '';
  if ((b.department ?? '') !== (a.department ?? '')) changes.department = a.department ?? '';
  if (afterAgencyId !== before.agencyId) changes.agencyId = afterAgencyId;
  const items: Item[] = [];
  const reason = `SCIM: ${after.userName}`;
  if (Object.keys(changes).length > 0)
    items.push({ operation: 'update', mailboxType: 'personal', address: address ?? '', changes, reason });
  const state = before.mailbox?.state;
  if (after.active && state !== undefined && state !== 'active' && state !== 'deleted')
    items.push({ operation: 'restore', mailboxType: 'personal', address: address ?? '', reason });
  if (
    !after.active &&
    (state === 'active' || (state === undefined && !ENDED_WITHOUT_MAILBOX.includes(before.itemStatus)))
  )
    items.push({ operation: 'suspend', mailboxType: 'personal', address: address ?? '', reason });
  return { items };
}
