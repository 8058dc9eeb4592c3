import { describe, expect, it } from 'vitest';
import { SCIM } from './scim-discovery.ts';
import { pageOf, projectAttributes } from './scim-list.ts';
import {
  planUserChange,
  readUserInput,
  type ScimUserView,
  scimBoolean,
  toScimUser,
  versionOf,
} from './scim-user-mapping.ts';

const buildUser = (overrides: Record<string, unknown> = {}) => ({
  schemas: [SCIM.user, SCIM.enterprise],
  userName: 'tvanh',
  externalId: 'hr-42',
  name: { familyName: 'Trần', middleName: 'Văn', givenName: 'Anh' },
  title: 'Chuyên viên',
  active: true,
  [SCIM.enterprise]: { department: 'Phòng CNTT', organization: 'stttt' },
  ...overrides,
});

const buildView = (overrides: Partial<ScimUserView> = {}): ScimUserView => ({
  id: '5b0c7d9e-0000-4000-8000-000000000001',
  userName: 'tvanh',
  externalId: 'hr-42',
  person: {
    familyName: 'Trần',
    middleName: 'Văn',
    givenName: 'Anh',
    title: 'Chuyên viên',
    department: 'Phòng CNTT',
    organization: 'stttt',
  },
  agencyId: 'agency-1',
  agencyName: 'Sở Thông tin và Truyền thông',
  requestId: 'request-1',
  itemStatus: 'completed',
  mailbox: { mailboxId: 'm-1', address: 'tvanh.stttt@bacninh.gov.vn', state: 'active' },
  version: 1,
  createdAt: new Date('2026-12-01T00:00:00Z'),
  updatedAt: new Date('2026-12-02T00:00:00Z'),
  ...overrides,
});

describe('scimBoolean', () => {
  it('when a provider sends "False" or "True" in any case, then they are booleans', () => {
    expect(scimBoolean('False')).toBe(false);
    expect(scimBoolean('TRUE')).toBe(true);
    expect(scimBoolean(false)).toBe(false);
    expect(scimBoolean('nope')).toBeUndefined();
    expect(scimBoolean(0)).toBeUndefined();
  });
});

describe('readUserInput', () => {
  it('when a User is complete, then names, job, department, organization and active are read (attribute names in any case)', () => {
    const { active: _active, userName, ...rest } = buildUser();
    const input = readUserInput({ ...rest, USERNAME: userName, Active: 'False' });
    expect(input).toEqual({
      userName: 'tvanh',
      externalId: 'hr-42',
      person: {
        familyName: 'Trần',
        middleName: 'Văn',
        givenName: 'Anh',
        title: 'Chuyên viên',
        department: 'Phòng CNTT',
        organization: 'stttt',
      },
      active: false,
    });
  });

  it('when active is absent, then the user is active; read-only and unknown attributes are ignored', () => {
    const input = readUserInput(
      buildUser({
        active: undefined,
        emails: [{ value: 'x@example.com' }],
        password: 'secret',
        nickName: 'A',
      }),
    );
    expect(input.active).toBe(true);
    expect(JSON.stringify(input)).not.toContain('secret');
  });

  it('when text comes decomposed, then it is stored composed (NFC)', () => {
    const input = readUserInput(buildUser({ name: { familyName: 'Tra\u0302\u0300n', givenName: 'Anh' } }));
    expect(input.person.familyName).toBe('Trần');
    expect(input.person.middleName).toBe('');
  });

  it('when the names, schemas and active are wrong, then one invalidValue error names every attribute in both languages', () => {
    let error:
      | { status: number; extensions: Record<string, unknown>; errors: { field: string }[] }
      | undefined;
    try {
      readUserInput({ userName: '', name: { givenName: 7 }, active: 'maybe' });
    } catch (err) {
      error = err as typeof error;
    }
    expect(error?.status).toBe(400);
    expect(error?.extensions.scimType).toBe('invalidValue');
    expect(error?.errors.map((e) => e.field)).toEqual([
      'schemas',
      'userName',
      'name.familyName',
      'name.givenName',
      'active',
    ]);
  });

  it('when the body is not an object, then it is invalidSyntax', () => {
    expect(() => readUserInput([1])).toThrow(
      expect.objectContaining({ extensions: { scimType: 'invalidSyntax' } }),
    );
  });
});

describe('toScimUser', () => {
  it('when the mailbox is active, then active is true and its address is the primary work email', () => {
    const user = toScimUser(buildView(), 'https://h/scim/v2');
    expect(user.active).toBe(true);
    expect(user.emails).toEqual([{ value: 'tvanh.stttt@bacninh.gov.vn', type: 'work', primary: true }]);
    expect(user.displayName).toBe('Trần Văn Anh');
    expect(user.meta).toMatchObject({
      resourceType: 'User',
      location: 'https://h/scim/v2/Users/5b0c7d9e-0000-4000-8000-000000000001',
    });
  });

  it('when the mailbox does not exist yet, then the user is active as asked (not once the create was rejected), has no email and says how far the create is', () => {
    expect(toScimUser(buildView({ mailbox: null, itemStatus: 'rejected' }), 'b').active).toBe(false);
    const user = toScimUser(buildView({ mailbox: null, itemStatus: 'pending_approval' }), 'b');
    expect(user.active).toBe(true);
    expect(user.emails).toEqual([]);
    expect(user[SCIM.mailbox]).toMatchObject({ status: 'pending_approval' });
  });

  it('when the mailbox changes state, then the version changes; when nothing changes, it stays', () => {
    const a = toScimUser(buildView(), 'b');
    const b = toScimUser(buildView({ updatedAt: new Date('2027-01-01T00:00:00Z') }), 'b');
    const c = toScimUser(
      buildView({ mailbox: { mailboxId: 'm-1', address: 'tvanh.stttt@bacninh.gov.vn', state: 'suspended' } }),
      'b',
    );
    expect((a.meta as { version: string }).version).toMatch(/^W\/".+"$/);
    expect(versionOf(a)).toBe(versionOf(b));
    expect(versionOf(a)).not.toBe(versionOf(c));
  });
});

describe('planUserChange', () => {
  const input = (overrides: Record<string, unknown> = {}) => readUserInput(buildUser(overrides));

  it('when only userName or externalId change, then no request item is needed', () => {
    expect(
      planUserChange(buildView(), input({ userName: 'anh.tran', externalId: 'hr-43' }), 'agency-1').items,
    ).toEqual([]);
  });

  it('when active becomes false on an active mailbox, then it is suspended; true on a suspended one restores it', () => {
    expect(planUserChange(buildView(), input({ active: 'False' }), 'agency-1').items).toEqual([
      expect.objectContaining({ operation: 'suspend', address: 'tvanh.stttt@bacninh.gov.vn' }),
    ]);
    const suspended = buildView({ mailbox: { mailboxId: 'm', address: 'a@b.vn', state: 'suspended' } });
    expect(planUserChange(suspended, input({ active: true }), 'agency-1').items).toEqual([
      expect.objectContaining({ operation: 'restore', address: 'a@b.vn' }),
    ]);
  });

  it('when job, department and agency change, then one update carries them', () => {
    const next = input({ title: 'Phó phòng', [SCIM.enterprise]: { organization: 'ttcntttt' } });
    expect(planUserChange(buildView(), next, 'agency-2').items).toEqual([
      expect.objectContaining({
        operation: 'update',
        changes: { position: 'Phó phòng', department: '', agencyId: 'agency-2' },
      }),
    ]);
  });

  it('when the create is still under way and active is true, then nothing is asked; false needs the mailbox', () => {
    const pending = buildView({ mailbox: null, itemStatus: 'approved' });
    expect(planUserChange(pending, input(), 'agency-1').items).toEqual([]);
    expect(planUserChange(pending, input({ active: false }), 'agency-1').items).toHaveLength(1);
  });

  it('when a name changes, then it is refused as mutability', () => {
    expect(() =>
      planUserChange(buildView(), input({ name: { familyName: 'Trần', givenName: 'An' } }), 'agency-1'),
    ).toThrow(expect.objectContaining({ status: 400, extensions: { scimType: 'mutability' } }));
  });
});

describe('projectAttributes and pageOf', () => {
  const user = toScimUser(buildView(), 'b');
  it('when attributes are asked for, then only they and id, schemas, meta are returned', () => {
    expect(Object.keys(projectAttributes(user, 'userName,name.givenName', undefined)).sort()).toEqual([
      'id',
      'meta',
      'name',
      'schemas',
      'userName',
    ]);
  });
  it('when attributes are excluded, then the others stay (an extension by its URN)', () => {
    const out = projectAttributes(user, undefined, `emails,${SCIM.mailbox}`);
    expect(out.emails).toBeUndefined();
    expect(out[SCIM.mailbox]).toBeUndefined();
    expect(out.userName).toBe('tvanh');
  });
  it('when startIndex is below 1 or count above the maximum, then they are corrected', () => {
    expect(pageOf({ startIndex: '0', count: '1000' }, 200)).toEqual({ startIndex: 1, count: 200 });
    expect(pageOf({ count: '-3' }, 200)).toEqual({ startIndex: 1, count: 0 });
    expect(pageOf({}, 200)).toEqual({ startIndex: 1, count: 200 });
  });
});
