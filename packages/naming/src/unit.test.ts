import { describe, expect, it } from 'vitest';
import { NamingError } from './errors.ts';
import { deriveAbbreviation, deriveAbbreviationVariants } from './name-parts.ts';
import { getPolicy } from './policies/registry.ts';
import { planUnitAddress, unitCandidates, type UnitInput } from './unit.ts';

function errorOf(run: () => unknown): NamingError {
  try {
    run();
  } catch (error) {
    if (error instanceof NamingError) return error;
    throw error;
  }
  throw new Error('expected a NamingError');
}

describe('derived abbreviations', () => {
  it('take one letter per syllable and drop "và"', () => {
    expect(deriveAbbreviation('Sở Thông tin và Truyền thông', 'department', 'unit.name')).toBe('stttt');
    expect(deriveAbbreviation('Phòng Văn hóa và Thông tin', 'department', 'unit.name')).toBe('pvhtt');
    expect(deriveAbbreviation('Phòng Nội vụ', 'department', 'unit.name')).toBe('pnv');
  });

  it('keep acronyms and numbers whole', () => {
    expect(deriveAbbreviation('Trung tâm CNTT&TT', 'department', 'unit.name')).toBe('ttcntttt');
    expect(deriveAbbreviation('Phòng Nghiệp vụ 3', 'department', 'unit.name')).toBe('pnv3');
  });

  it('drop "UBND"/"Ủy ban nhân dân" and the type word for districts and communes', () => {
    expect(deriveAbbreviation('Ủy ban nhân dân huyện Cam Lâm', 'district', 'unit.name')).toBe('cl');
    expect(deriveAbbreviation('UBND xã Cam Hải Đông', 'commune', 'unit.name')).toBe('chd');
  });

  it('do not mistake a place named Quan (no tone) for quận', () => {
    expect(deriveAbbreviation('Quan Hóa', 'district', 'unit.name')).toBe('qh');
    expect(
      unitCandidates(getPolicy('thanh-hoa'), { unit: { name: 'Huyện Quan Hóa', type: 'district' } }, 1),
    ).toEqual(['quanhoa']);
  });

  it("variants write out one syllable's initial consonant cluster at a time", () => {
    expect(deriveAbbreviationVariants('Sở Ngoại vụ', 'department', 'unit.name')).toEqual(['sngv']);
    expect(deriveAbbreviationVariants('Sở Nội vụ', 'department', 'unit.name')).toEqual([]);
    expect(deriveAbbreviationVariants('Sở Thông tin và Truyền thông', 'department', 'unit.name')).toEqual([
      'sthttt',
      'stttrt',
      'stttth',
    ]);
  });
});

describe('unit candidates', () => {
  it('a city gets the tp prefix before its folded name where districts go by full name', () => {
    expect(
      unitCandidates(getPolicy('thanh-hoa'), { unit: { name: 'Thành phố Thanh Hóa', type: 'city' } }, 1),
    ).toEqual(['tpthanhhoa']);
  });

  it('a chosen mailboxName wins over every rule, and numbers go after its first level', () => {
    const input: UnitInput = {
      unit: { name: 'Phường Kinh Bắc', type: 'ward', mailboxName: 'KinhBac.TPBacNinh' },
    };
    expect(unitCandidates(getPolicy('bac-ninh'), input, 3)).toEqual([
      'kinhbac.tpbacninh',
      'kinhbac1.tpbacninh',
      'kinhbac2.tpbacninh',
    ]);
  });

  it('a parent may be given inside the unit; its own parent is followed up the tree', () => {
    const input: UnitInput = {
      unit: {
        name: 'Văn phòng',
        type: 'subunit',
        abbreviation: 'vp',
        parent: {
          name: 'Xã Tam Giang',
          type: 'commune',
          parent: { name: 'Huyện Yên Phong', type: 'district' },
        },
      },
    };
    expect(unitCandidates(getPolicy('bac-ninh'), input, 1)).toEqual(['vp.tamgiang.yenphong']);
  });

  it('Khánh Hòa joins every level with _: a commune is <abbr>_<district abbr>', () => {
    const input: UnitInput = {
      unit: { name: 'Xã Cam Hải Đông', type: 'commune' },
      parent: { name: 'UBND huyện Cam Lâm', type: 'district' },
    };
    expect(unitCandidates(getPolicy('khanh-hoa'), input, 1)).toEqual(['chd_cl']);
  });

  it("Kiên Giang is flat: a district's Phòng Nội vụ is pnv, and pnv + the district is proposed first", () => {
    const input: UnitInput = {
      unit: { name: 'Phòng Nội vụ', type: 'department', abbreviation: 'pnv' },
      parent: { name: 'Thành phố Rạch Giá', type: 'city', abbreviation: 'rg' },
    };
    expect(unitCandidates(getPolicy('kien-giang'), input, 3)).toEqual(['pnv', 'pnvrg', 'phnv']);
  });

  it('a chosen abbreviation that differs from the derived one gets no derived variants', () => {
    const input: UnitInput = { unit: { name: 'Sở Ngoại vụ', type: 'department', abbreviation: 'sngoaivu' } };
    expect(unitCandidates(getPolicy('kien-giang'), input, 2)).toEqual(['sngoaivu', 'sngoaivu1']);
  });
});

describe('unit errors', () => {
  it('when a commune has no parent in a nested province, then missing_field parent', () => {
    const error = errorOf(() =>
      planUnitAddress(getPolicy('bac-ninh'), { unit: { name: 'Xã Tam Giang', type: 'commune' } }),
    );
    expect(error).toMatchObject({ code: 'missing_field', field: 'unit.parent' });
  });

  it('when a commune sits directly under the province (after the district level ended), then its own name alone', () => {
    const commune = { name: 'Xã Tam Giang', type: 'commune' as const, underProvince: true };
    expect(planUnitAddress(getPolicy('bac-ninh'), { unit: commune })).toMatchObject({
      heads: ['tamgiang'],
      tail: '',
    });
    const ward = { name: 'Phường Cam Nghĩa', type: 'ward' as const, abbreviation: 'cn', underProvince: true };
    expect(planUnitAddress(getPolicy('khanh-hoa'), { unit: ward })).toMatchObject({
      heads: ['cn', 'cngh'],
      tail: '',
    });
  });

  it('when the type is unknown, then invalid_unit_type with its path', () => {
    const input = { unit: { name: 'Sở Nội vụ', type: 'ministry' } } as unknown as UnitInput;
    expect(errorOf(() => planUnitAddress(getPolicy('bac-ninh'), input))).toMatchObject({
      code: 'invalid_unit_type',
      field: 'unit.type',
    });
  });

  it("when the parent's abbreviation is not valid, then invalid_abbreviation at parent.abbreviation", () => {
    const input: UnitInput = {
      unit: { name: 'Phòng Nội vụ', type: 'department' },
      parent: { name: 'Thành phố Bắc Ninh', type: 'city', abbreviation: 'b.n' },
    };
    expect(errorOf(() => planUnitAddress(getPolicy('bac-ninh'), input))).toMatchObject({
      code: 'invalid_abbreviation',
      field: 'parent.abbreviation',
    });
  });

  it('when the chosen mailboxName is not a valid local part, then invalid_local_part', () => {
    const input: UnitInput = { unit: { name: 'Sở Nội vụ', type: 'department', mailboxName: 'sở nội vụ' } };
    expect(errorOf(() => planUnitAddress(getPolicy('bac-ninh'), input))).toMatchObject({
      code: 'invalid_local_part',
      field: 'unit.mailboxName',
    });
  });

  it('when a name has no letters or digits, then invalid_name', () => {
    const input: UnitInput = { unit: { name: '— & —', type: 'department' } };
    expect(errorOf(() => planUnitAddress(getPolicy('bac-ninh'), input))).toMatchObject({
      code: 'invalid_name',
      field: 'unit.name',
    });
  });
});
