// A department's abbreviation leaves out the province's own name, and uses the abbreviation the
// regulation gives for that name (Kiên Giang Điều 4 khoản 1: sttt); a request ranks people by
// position the same way in the directory and in `./hopthu naming --request` (rankOfPerson).
import { describe, expect, it } from 'vitest';
import { withoutProvinceName } from './name-parts.ts';
import { getPolicy } from './policies/registry.ts';
import { rankOfPerson, rankOfPosition } from './rank.ts';
import { proposeAddress, proposeAddresses } from './request.ts';
import { planUnitAddress } from './unit.ts';

describe("the province's own name", () => {
  it.each([
    ['Sở Thông tin và Truyền thông Kiên Giang', 'Kiên Giang', 'Sở Thông tin và Truyền thông'],
    ['Sở Y tế tỉnh Kiên Giang', 'Kiên Giang', 'Sở Y tế'],
    ['Sở Y tế Kien Giang', 'Kiên Giang', 'Sở Y tế'],
    ['Sở Y tế', 'Kiên Giang', 'Sở Y tế'],
    ['Kiên Giang', 'Kiên Giang', 'Kiên Giang'],
    ['Sở Giang', 'Kiên Giang', 'Sở Giang'],
    ['Sở Nội vụ Bắc Ninh', 'Bắc Ninh', 'Sở Nội vụ'],
  ])('%s in %s → %s', (name, province, expected) => {
    expect(withoutProvinceName(name, province)).toBe(expected);
  });
});

describe("a department's derived abbreviation", () => {
  const unit = (province: string, name: string, abbreviation?: string) =>
    proposeAddress({ province, kind: 'unit', unit: { name, type: 'department', abbreviation } });

  it('Kiên Giang: "Sở Thông tin và Truyền thông Kiên Giang" is sttt@kiengiang.gov.vn (Điều 4 khoản 1)', () => {
    expect(unit('kien-giang', 'Sở Thông tin và Truyền thông Kiên Giang')).toEqual({
      local: 'sttt',
      address: 'sttt@kiengiang.gov.vn',
    });
    expect(unit('kien-giang', 'Sở Thông tin và Truyền thông')).toMatchObject({ local: 'sttt' });
  });

  it('any other Sở is derived without the province name (snv, proposing sngv when snv is taken)', () => {
    expect(unit('kien-giang', 'Sở Ngoại vụ tỉnh Kiên Giang')).toMatchObject({ local: 'snv' });
    expect(
      proposeAddress({
        province: 'kien-giang',
        kind: 'unit',
        unit: { name: 'Sở Ngoại vụ tỉnh Kiên Giang', type: 'department' },
        taken: ['snv'],
      }),
    ).toMatchObject({ decision: 'operator', candidates: expect.arrayContaining(['sngv']) });
    expect(unit('kien-giang', 'Sở Y tế Kiên Giang')).toMatchObject({ local: 'syt' });
  });

  it('a chosen abbreviation still wins', () => {
    expect(unit('kien-giang', 'Sở Thông tin và Truyền thông Kiên Giang', 'stttt')).toMatchObject({
      local: 'stttt',
    });
  });

  it('Bắc Ninh derives stttt (one letter per syllable) whether or not the name ends with Bắc Ninh', () => {
    expect(unit('bac-ninh', 'Sở Thông tin và Truyền thông Bắc Ninh')).toMatchObject({ local: 'stttt' });
    expect(
      planUnitAddress(getPolicy('bac-ninh'), { unit: { name: 'Sở Nội vụ Bắc Ninh', type: 'department' } })
        .heads[0],
    ).toBe('snv');
  });
});

describe('ranking by position, one function', () => {
  it('the rank given wins, else the position title, else none', () => {
    expect(rankOfPerson({ rank: 3, position: 'Chuyên viên' })).toBe(3);
    expect(rankOfPerson({ position: 'Giám đốc' })).toBe(rankOfPosition('Giám đốc'));
    expect(rankOfPerson({})).toBeUndefined();
  });

  it('./hopthu naming --request: in Kiên Giang the director listed after a clerk of the same name keeps the plain address', () => {
    const person = (position: string) => ({
      province: 'kien-giang',
      kind: 'personal',
      person: { familyName: 'Trần', middleName: 'Văn', givenName: 'Nam', position },
      agency: 'sttt',
    });
    expect(proposeAddresses([person('Chuyên viên'), person('Giám đốc')])).toEqual([
      { local: 'tvnam1.sttt', address: 'tvnam1.sttt@kiengiang.gov.vn' },
      { local: 'tvnam.sttt', address: 'tvnam.sttt@kiengiang.gov.vn' },
    ]);
  });

  it('a deputy ranks below the head, so the head keeps the plain address whatever the order', () => {
    const person = (position: string) => ({
      province: 'kien-giang',
      kind: 'personal',
      person: { familyName: 'Lê', middleName: 'Thị', givenName: 'Hoa', position },
      agency: 'snv',
    });
    expect(
      proposeAddresses([person('Phó Giám đốc'), person('Giám đốc')]).map((o) => ('local' in o ? o.local : o)),
    ).toEqual(['lthoa1.snv', 'lthoa.snv']);
  });
});
