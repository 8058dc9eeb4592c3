import { describe, expect, it } from 'vitest';
import { checkChanges } from './check-changes.ts';

const update = (changes?: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({ operation: 'update', address: 'a@bacninh.gov.vn', ...(changes ? { changes } : {}), ...extra }) as never;

describe('checkChanges', () => {
  it('when a personal mailbox gets a new job, a transfer or a conversion, then nothing is wrong', () => {
    expect(checkChanges(update({ position: 'Phó phòng', department: 'Phòng CNTT' }), 'personal')).toEqual([]);
    expect(checkChanges(update({ agencyId: 'x' }), 'personal')).toEqual([]);
    expect(checkChanges(update({ convertAddress: true }), 'personal')).toEqual([]);
  });

  it('when an agency mailbox gets a new head or a conversion, then nothing is wrong', () => {
    expect(checkChanges(update({ head: { familyName: 'Lê', givenName: 'Hoa' } }), 'agency')).toEqual([]);
    expect(checkChanges(update({ convertAddress: true }), 'agency')).toEqual([]);
  });

  it('when an update changes nothing, then /changes is named', () => {
    for (const item of [update(), update({}), update({ convertAddress: false })])
      expect(checkChanges(item, 'personal').map((p) => p.field)).toEqual(['/changes']);
  });

  it('when the new job comes in person instead of changes, then it is accepted', () => {
    const item = update(undefined, { person: { familyName: 'Lê', middleName: '', givenName: 'Hoa' } });
    expect(checkChanges(item, 'personal')).toEqual([]);
  });

  it('when a personal mailbox is given a head, or an agency mailbox a job or a transfer, then each field is named', () => {
    expect(checkChanges(update({ head: { familyName: 'Lê', givenName: 'Hoa' } }), 'personal')).toEqual([
      expect.objectContaining({ field: '/changes/head' }),
    ]);
    expect(
      checkChanges(update({ position: 'x', department: 'y', agencyId: 'z' }), 'agency').map((p) => p.field),
    ).toEqual(['/changes/position', '/changes/department', '/changes/agencyId']);
  });
});
