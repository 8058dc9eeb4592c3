import { describe, expect, it } from 'vitest';
import { proposeAddress, proposeAddresses } from './request.ts';

const anh = { familyName: 'Trần', middleName: 'Văn', givenName: 'Anh' };

describe('proposeAddress', () => {
  it('answers the binding example of the issue', () => {
    const request = {
      province: 'bac-ninh',
      kind: 'personal',
      person: anh,
      agency: 'stttt',
      taken: ['tvanh.stttt'],
    };
    expect(proposeAddress(request)).toEqual({
      local: 'tvanh1.stttt',
      address: 'tvanh1.stttt@bacninh.gov.vn',
    });
  });

  it('accepts taken entries as whole addresses, ignores other domains, and counts reserved and retired', () => {
    const base = { province: 'bac-ninh', kind: 'personal', person: anh, agency: 'stttt' };
    expect(proposeAddress({ ...base, taken: ['TVANH.STTTT@bacninh.gov.vn'] })).toMatchObject({
      local: 'tvanh1.stttt',
    });
    expect(proposeAddress({ ...base, taken: ['tvanh.stttt@bacgiang.gov.vn'] })).toMatchObject({
      local: 'tvanh.stttt',
    });
    expect(proposeAddress({ ...base, reserved: ['tvanh.stttt'], retired: ['tvanh1.stttt'] })).toMatchObject({
      local: 'tvanh2.stttt',
    });
  });

  it('answers an operator decision in the binding shape', () => {
    const request = {
      province: 'khanh-hoa',
      kind: 'personal',
      person: { familyName: 'Lê', middleName: 'Đức', givenName: 'Phương' },
      taken: ['ldphuong'],
    };
    expect(proposeAddress(request)).toEqual({
      decision: 'operator',
      candidates: ['ldphuong1', 'ldphuong2', 'ldphuong3'],
    });
  });

  it('answers a unit with its parent', () => {
    const request = {
      province: 'khanh-hoa',
      kind: 'unit',
      unit: { name: 'Phòng Văn hóa và Thông tin', type: 'department', abbreviation: 'pvhtt' },
      parent: { name: 'Ủy ban nhân dân huyện Cam Lâm', type: 'district' },
      taken: [],
    };
    expect(proposeAddress(request)).toEqual({ local: 'pvhtt_cl', address: 'pvhtt_cl@khanhhoa.gov.vn' });
  });

  it.each([
    [null, 'invalid_request', null],
    [[], 'invalid_request', null],
    [{ kind: 'personal' }, 'missing_field', 'province'],
    [{ province: 7 }, 'invalid_request', 'province'],
    [{ province: 'ha-noi', kind: 'personal' }, 'unknown_province', 'province'],
    [{ province: 'bac-ninh', kind: 'group' }, 'invalid_request', 'kind'],
    [{ province: 'bac-ninh', kind: 'personal' }, 'missing_field', 'person'],
    [
      { province: 'bac-ninh', kind: 'personal', person: { familyName: 'Trần' } },
      'missing_field',
      'person.givenName',
    ],
    [
      { province: 'bac-ninh', kind: 'personal', person: { ...anh, middleName: 3 } },
      'invalid_request',
      'person.middleName',
    ],
    [
      { province: 'bac-ninh', kind: 'personal', person: { ...anh, rank: 'cao' } },
      'invalid_request',
      'person.rank',
    ],
    [
      { province: 'bac-ninh', kind: 'personal', person: anh, agency: 'stttt', taken: 'x' },
      'invalid_request',
      'taken',
    ],
    [{ province: 'bac-ninh', kind: 'unit', unit: { name: 'Sở Nội vụ' } }, 'missing_field', 'unit.type'],
    [
      { province: 'bac-ninh', kind: 'unit', unit: { name: 'Sở Nội vụ', type: 'bộ' } },
      'invalid_unit_type',
      'unit.type',
    ],
    [
      {
        province: 'bac-ninh',
        kind: 'unit',
        unit: { name: 'Phòng Nội vụ', type: 'department' },
        parent: { type: 'city' },
      },
      'missing_field',
      'parent.name',
    ],
  ])('when the request is %j, then error %s at %s', (request, code, field) => {
    const output = proposeAddress(request);
    expect(output).toMatchObject({ code, field });
    expect(output).toHaveProperty('vi');
    if ('error' in output) expect(typeof output.error).toBe('string');
  });
});

describe('proposeAddresses', () => {
  it('treats the lines as one request: earlier addresses are taken, taken lists are shared per province', () => {
    const outputs = proposeAddresses([
      { province: 'bac-ninh', kind: 'personal', person: anh, agency: 'stttt', taken: ['tvanh.stttt'] },
      { province: 'bac-ninh', kind: 'personal', person: anh, agency: 'stttt' },
      { province: 'thanh-hoa', kind: 'personal', person: anh, agency: 'stttt' },
      'not an object',
    ]);
    expect(outputs).toEqual([
      { local: 'tvanh1.stttt', address: 'tvanh1.stttt@bacninh.gov.vn' },
      { local: 'tvanh2.stttt', address: 'tvanh2.stttt@bacninh.gov.vn' },
      { local: 'anhtv.stttt', address: 'anhtv.stttt@thanhhoa.gov.vn' },
      expect.objectContaining({ code: 'invalid_request' }),
    ]);
  });

  it('Kiên Giang: a staff list gives the plain form to the highest rank, answers in input order', () => {
    const nam = { familyName: 'Trần', middleName: 'Văn', givenName: 'Nam' };
    const outputs = proposeAddresses([
      { province: 'kien-giang', kind: 'personal', person: { ...nam, rank: 4 }, agency: 'sttt' },
      { province: 'kien-giang', kind: 'personal', person: { ...nam, rank: 1 }, agency: 'sttt' },
    ]);
    expect(outputs.map((o) => ('local' in o ? o.local : o))).toEqual(['tvnam1.sttt', 'tvnam.sttt']);
  });
});
