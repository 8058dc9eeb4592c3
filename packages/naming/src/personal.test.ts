import { describe, expect, it } from 'vitest';
import { NamingError } from './errors.ts';
import { personalCandidates, planPersonalAddress, type PersonalInput } from './personal.ts';
import { getPolicy } from './policies/registry.ts';

const bacNinh = getPolicy('bac-ninh');
const dakNong = getPolicy('dak-nong');
const khanhHoa = getPolicy('khanh-hoa');

function input(
  familyName: string,
  middleName: string | undefined,
  givenName: string,
  agency = 'stttt',
): PersonalInput {
  return { person: { familyName, middleName, givenName }, agency };
}

function errorOf(run: () => unknown): NamingError {
  try {
    run();
  } catch (error) {
    if (error instanceof NamingError) return error;
    throw error;
  }
  throw new Error('expected a NamingError');
}

describe('personal name part', () => {
  it('when the middle name has several words, then each word gives one initial', () => {
    expect(personalCandidates(bacNinh, input('Nguyễn', 'Thị Minh', 'Khai'), 1)).toEqual(['ntmkhai.stttt']);
    expect(personalCandidates(khanhHoa, input('Nguyễn', 'Thị Minh', 'Khai'), 1)).toEqual(['ntmkhai']);
  });

  it('when the family name has several words, then each word gives one initial (Tôn Thất)', () => {
    expect(personalCandidates(bacNinh, input('Tôn Thất', 'Minh', 'Bách'), 1)).toEqual(['ttmbach.stttt']);
  });

  it('when there is no middle name, then only the family initial is used', () => {
    expect(personalCandidates(bacNinh, input('Lê', undefined, 'Lợi'), 1)).toEqual(['lloi.stttt']);
    expect(personalCandidates(bacNinh, input('Lê', '', 'Lợi'), 1)).toEqual(['lloi.stttt']);
  });

  it('when the given name has several words, then they are kept whole and joined (Khmer: Chau Sóc Kha)', () => {
    expect(personalCandidates(getPolicy('kien-giang'), input('Chau', '', 'Sóc Kha', 'sttt'), 1)).toEqual([
      'csockha.sttt',
    ]);
  });

  it("when a minority name has apostrophes, then they are dropped and the parts are used as given (H'Hen Niê)", () => {
    // Ê Đê order is given name first; the caller gives the parts, the server never reorders them.
    expect(personalCandidates(bacNinh, input('Niê', '', "H'Hen"), 1)).toEqual(['nhhen.stttt']);
    expect(personalCandidates(dakNong, input('Niê Kdăm', '', 'Y Ngông'), 1)).toEqual(['yngongnk.stttt']);
  });

  it('when the given name has a lookalike Ð, then it folds to d', () => {
    expect(personalCandidates(bacNinh, input('\u00D0ặng', 'Văn', 'Ðức'), 1)).toEqual(['dvduc.stttt']);
  });

  it('when the agency is given in capitals, then it is folded to lowercase', () => {
    expect(personalCandidates(bacNinh, input('Trần', 'Văn', 'Anh', 'STTTT'), 1)).toEqual(['tvanh.stttt']);
  });
});

describe('personal candidates', () => {
  it('numeric strategy: plain, then 1, 2, 3 after the name part (Bắc Ninh)', () => {
    expect(personalCandidates(bacNinh, input('Trần', 'Văn', 'Anh'), 4)).toEqual([
      'tvanh.stttt',
      'tvanh1.stttt',
      'tvanh2.stttt',
      'tvanh3.stttt',
    ]);
  });

  it('letter strategy: plain, then a…z, then aa (Đắk Nông)', () => {
    const candidates = personalCandidates(dakNong, input('Nguyễn', 'Anh', 'Tuấn'), 28);
    expect(candidates.slice(0, 3)).toEqual(['tuanna.stttt', 'tuannaa.stttt', 'tuannab.stttt']);
    expect(candidates[26]).toBe('tuannaz.stttt');
    expect(candidates[27]).toBe('tuannaaa.stttt');
  });

  it("Đắk Nông: staff of a district People's Committee itself may omit the agency", () => {
    expect(
      personalCandidates(
        dakNong,
        { person: { familyName: 'Nguyễn', givenName: 'Tuấn' }, district: 'Krông Nô' },
        1,
      ),
    ).toEqual(['tuann.krongno']);
  });

  it("Đắk Nông: a city given as the district keeps its tp prefix, matching the city's own box", () => {
    const withCity = { ...input('Nguyễn', 'Anh', 'Tuấn', 'pnv'), district: 'Thành phố Gia Nghĩa' };
    expect(personalCandidates(dakNong, withCity, 1)).toEqual(['tuanna.pnv.tpgianghia']);
  });

  it('when the province does not use the district, then a given district is ignored', () => {
    expect(personalCandidates(bacNinh, { ...input('Trần', 'Văn', 'Anh'), district: 'Yên Phong' }, 1)).toEqual(
      ['tvanh.stttt'],
    );
  });

  it('when candidates would pass 64 characters, then the list ends there', () => {
    const longAgency = 'a'.repeat(64 - 'tvanh.'.length - 1); // room for exactly one digit
    const candidates = personalCandidates(bacNinh, input('Trần', 'Văn', 'Anh', longAgency), 100);
    expect(candidates).toHaveLength(10); // plain + 1…9
    expect(candidates.every((local) => local.length <= 64)).toBe(true);
  });
});

describe('personal errors', () => {
  it('when the agency is missing where the province uses it, then missing_field agency', () => {
    const error = errorOf(() =>
      planPersonalAddress(bacNinh, { person: { familyName: 'Trần', givenName: 'Anh' } }),
    );
    expect(error.code).toBe('missing_field');
    expect(error.field).toBe('agency');
    expect(error.messages.vi).toContain('agency');
  });

  it('when the agency is a full name with spaces, then invalid_abbreviation', () => {
    const error = errorOf(() => planPersonalAddress(bacNinh, input('Trần', 'Văn', 'Anh', 'Sở Thông tin')));
    expect(error).toMatchObject({ code: 'invalid_abbreviation', field: 'agency' });
  });

  it('when a name part is empty, then missing_field with its path', () => {
    expect(errorOf(() => planPersonalAddress(bacNinh, input('Trần', 'Văn', '  ')))).toMatchObject({
      code: 'missing_field',
      field: 'person.givenName',
    });
  });

  it('when a name holds a digit, then invalid_name (a name cannot be a number)', () => {
    expect(errorOf(() => planPersonalAddress(bacNinh, input('Trần', 'Văn', 'Anh2')))).toMatchObject({
      code: 'invalid_name',
      field: 'person.givenName',
    });
  });

  it('when a name holds a character with no ASCII form, then invalid_name names it', () => {
    const error = errorOf(() => planPersonalAddress(bacNinh, input('Trần', 'Văn', 'Anh😀')));
    expect(error).toMatchObject({ code: 'invalid_name', field: 'person.givenName' });
    expect(error.messages.en).toContain('😀');
  });

  it('when a name is only apostrophes, then invalid_name', () => {
    expect(errorOf(() => planPersonalAddress(bacNinh, input("'", 'Văn', 'Anh')))).toMatchObject({
      code: 'invalid_name',
      field: 'person.familyName',
    });
  });

  it('when text is not well-formed Unicode (a lone surrogate), then invalid_name', () => {
    expect(errorOf(() => planPersonalAddress(bacNinh, input('Trần', 'V\uD800', 'Anh')))).toMatchObject({
      code: 'invalid_name',
      field: 'person.middleName',
    });
  });

  it('when the address would pass 64 characters, then local_part_too_long', () => {
    expect(errorOf(() => planPersonalAddress(bacNinh, input('Trần', 'Văn', 'A'.repeat(60))))).toMatchObject({
      code: 'local_part_too_long',
    });
  });
});
