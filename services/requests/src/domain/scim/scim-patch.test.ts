import { describe, expect, it } from 'vitest';
import { SCIM } from './scim-discovery.ts';
import { applyScimPatch } from './scim-patch.ts';
import { readUserInput } from './scim-user-mapping.ts';

const user = () => ({
  schemas: [SCIM.user, SCIM.enterprise],
  id: 'u-1',
  userName: 'tvanh',
  name: { familyName: 'Trần', middleName: 'Văn', givenName: 'Anh' },
  title: 'Chuyên viên',
  active: true,
  emails: [{ value: 'tvanh.stttt@bacninh.gov.vn', type: 'work', primary: true }],
  [SCIM.enterprise]: { department: 'Phòng CNTT' },
  meta: { resourceType: 'User', created: '2026-12-01T00:00:00Z', lastModified: '2026-12-01T00:00:00Z' },
});
const patch = (...Operations: unknown[]) => ({ schemas: [SCIM.patch], Operations });

describe('applyScimPatch', () => {
  it('when Entra ID sends Replace active "False", then the user reads as inactive', () => {
    const out = applyScimPatch(user(), patch({ op: 'Replace', path: 'active', value: 'False' }));
    expect(readUserInput(out).active).toBe(false);
  });

  it('when a replace has no path and a value of paths, then each path is set (extension attributes by URN)', () => {
    const out = applyScimPatch(
      user(),
      patch({
        op: 'replace',
        value: { active: false, title: 'Phó phòng', [`${SCIM.enterprise}:department`]: 'Phòng KH' },
      }),
    );
    const input = readUserInput(out);
    expect(input).toMatchObject({ active: false, person: { title: 'Phó phòng', department: 'Phòng KH' } });
  });

  it('when an attribute is removed, then it is gone; the resource given is not changed', () => {
    const before = user();
    const out = applyScimPatch(before, patch({ op: 'remove', path: 'title' }));
    expect(out.title).toBeUndefined();
    expect(before.title).toBe('Chuyên viên');
  });

  it('when the message lacks the PatchOp schema or has an unknown op, then it is 400 invalidSyntax', () => {
    expect(() =>
      applyScimPatch(user(), { schemas: ['x'], Operations: [{ op: 'replace', path: 'title', value: 'a' }] }),
    ).toThrow(expect.objectContaining({ status: 400, extensions: { scimType: 'invalidSyntax' } }));
    expect(() => applyScimPatch(user(), patch({ op: 'move', path: 'title' }))).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });
});
