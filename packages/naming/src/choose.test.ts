import { describe, expect, it } from 'vitest';
import { chooseAddress, chooseAddresses, groupAddress, type NamingInput, servingOrder } from './choose.ts';
import { NamingError } from './errors.ts';
import { getPolicy } from './policies/registry.ts';

const bacNinh = getPolicy('bac-ninh');
const kienGiang = getPolicy('kien-giang');

function buildPersonal(overrides: Partial<Extract<NamingInput, { kind: 'personal' }>> = {}): NamingInput {
  return {
    kind: 'personal',
    person: { familyName: 'Trần', middleName: 'Văn', givenName: 'Anh' },
    agency: 'stttt',
    ...overrides,
  };
}

describe('chooseAddress', () => {
  it('when nothing is taken, then the plain form is assigned with the province domain', () => {
    expect(chooseAddress(bacNinh, buildPersonal())).toEqual({
      outcome: 'assigned',
      local: 'tvanh.stttt',
      address: 'tvanh.stttt@bacninh.gov.vn',
    });
  });

  it('when a candidate is on the reserved list, then it is skipped like a taken one', () => {
    const input: NamingInput = {
      kind: 'unit',
      unit: { name: 'Hỗ trợ', type: 'department', abbreviation: 'support' },
    };
    const choice = chooseAddress(bacNinh, input);
    expect(choice).toEqual({
      outcome: 'operator',
      decision: 'operator',
      candidates: ['support1', 'support2', 'support3'],
    });
  });

  it("when a unit's name is taken, then an operator decides even in a province that numbers people", () => {
    const input: NamingInput = { kind: 'unit', unit: { name: 'Sở Nội vụ', type: 'department' } };
    const choice = chooseAddress(bacNinh, input, (local) => local === 'snv');
    expect(choice.outcome).toBe('operator');
  });

  it('operator proposals skip taken candidates', () => {
    const input: NamingInput = buildPersonal({
      person: { familyName: 'Lê', middleName: 'Đức', givenName: 'Phương' },
    });
    const taken = new Set(['ldphuong', 'ldphuong1', 'ldphuong3']);
    const choice = chooseAddress(getPolicy('khanh-hoa'), input, (local) => taken.has(local));
    expect(choice).toEqual({
      outcome: 'operator',
      decision: 'operator',
      candidates: ['ldphuong2', 'ldphuong4', 'ldphuong5'],
    });
  });

  it('when every candidate is taken, then no_free_candidate', () => {
    const choice = chooseAddress(bacNinh, buildPersonal(), () => true);
    expect(choice).toMatchObject({ outcome: 'error', error: { code: 'no_free_candidate', field: null } });
  });

  it('when the input is bad, then an error outcome with code, field and both languages (never a throw)', () => {
    const choice = chooseAddress(bacNinh, buildPersonal({ agency: undefined }));
    expect(choice).toMatchObject({ outcome: 'error', error: { code: 'missing_field', field: 'agency' } });
    if (choice.outcome === 'error') {
      expect(choice.error.message.vi.length).toBeGreaterThan(0);
      expect(choice.error.message.en.length).toBeGreaterThan(0);
    }
  });
});

describe('chooseAddresses (one request)', () => {
  it('Bắc Ninh: two Trần Văn Anh in one request get tvanh and tvanh1 in request order, ranks ignored', () => {
    const inputs = [
      buildPersonal({ person: { familyName: 'Trần', middleName: 'Văn', givenName: 'Anh', rank: 5 } }),
      buildPersonal({ person: { familyName: 'Trần', middleName: 'Văn', givenName: 'Anh', rank: 1 } }),
    ];
    const locals = chooseAddresses(bacNinh, inputs).map(
      (choice) => choice.outcome === 'assigned' && choice.local,
    );
    expect(locals).toEqual(['tvanh.stttt', 'tvanh1.stttt']);
  });

  it('Kiên Giang: equal ranks keep request order; units keep their places', () => {
    const nam = { familyName: 'Trần', middleName: 'Văn', givenName: 'Nam' };
    const inputs: NamingInput[] = [
      { kind: 'personal', person: { ...nam, rank: 2 }, agency: 'sttt' },
      { kind: 'unit', unit: { name: 'Sở Nội vụ', type: 'department' } },
      { kind: 'personal', person: { ...nam, rank: 2 }, agency: 'sttt' },
      { kind: 'personal', person: { ...nam, rank: 1 }, agency: 'sttt' },
    ];
    expect(servingOrder(kienGiang, inputs)).toEqual([3, 1, 0, 2]);
    const locals = chooseAddresses(kienGiang, inputs).map(
      (choice) => choice.outcome === 'assigned' && choice.local,
    );
    expect(locals).toEqual(['tvnam1.sttt', 'snv', 'tvnam2.sttt', 'tvnam.sttt']);
  });

  it('Kiên Giang: people in different units do not collide, so rank only matters within a unit', () => {
    const nam = { familyName: 'Trần', middleName: 'Văn', givenName: 'Nam' };
    const inputs: NamingInput[] = [
      { kind: 'personal', person: { ...nam, rank: 3 }, agency: 'sttt' },
      { kind: 'personal', person: { ...nam, rank: 1 }, agency: 'snv' },
    ];
    const locals = chooseAddresses(kienGiang, inputs).map(
      (choice) => choice.outcome === 'assigned' && choice.local,
    );
    expect(locals).toEqual(['tvnam.sttt', 'tvnam.snv']);
  });
});

describe('groupAddress', () => {
  it('is null where the province defines no group addresses', () => {
    expect(groupAddress(bacNinh)).toBeNull();
  });

  it('folds the agency and refuses one that is not an abbreviation', () => {
    expect(groupAddress(getPolicy('dak-nong'), 'STTTT')?.local).toBe('internal.stttt');
    expect(() => groupAddress(getPolicy('dak-nong'), 'Sở TTTT')).toThrow(NamingError);
  });
});
