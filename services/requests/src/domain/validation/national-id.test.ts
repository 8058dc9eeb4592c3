import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CCCD_PROVINCE_CODES,
  centurySexDigit,
  checkPersonIdentity,
  decodeCccd,
  isRealDate,
  maskDateOfBirth,
  maskNationalId,
} from './national-id.ts';

const TODAY = '2026-11-23';
const fields = (issues: { field: string }[]) => issues.map((i) => i.field);

describe('the CCCD province codes', () => {
  it('has the 63 pre-2025 provinces, with the codes the domain notes quote', () => {
    expect(Object.keys(CCCD_PROVINCE_CODES)).toHaveLength(63);
    expect(CCCD_PROVINCE_CODES).toMatchObject({
      '038': 'Thanh Hóa',
      '024': 'Bắc Giang',
      '027': 'Bắc Ninh',
      '056': 'Khánh Hòa',
      '058': 'Ninh Thuận',
      '060': 'Bình Thuận',
      '067': 'Đắk Nông',
      '068': 'Lâm Đồng',
      '089': 'An Giang',
      '091': 'Kiên Giang',
    });
  });
});

describe('centurySexDigit / decodeCccd', () => {
  it.each([
    [1990, 'male', 0],
    [1990, 'female', 1],
    [2003, 'male', 2],
    [2003, 'female', 3],
    [2100, 'male', 4],
    [2250, 'female', 7],
    [2399, 'male', 8],
  ] as const)('when born %i and %s, then the digit is %i', (year, gender, digit) => {
    expect(centurySexDigit(year, gender)).toBe(digit);
  });

  it('when a CCCD is decoded, then province, year and sex come out', () => {
    expect(decodeCccd('027190001234')).toEqual({
      provinceCode: '027',
      province: 'Bắc Ninh',
      birthYear: 1990,
      gender: 'female',
    });
    expect(decodeCccd('038205123456')).toMatchObject({ birthYear: 2005, gender: 'male' });
  });

  it.each(['003190001234', '999190001234', '02719000123', '0271900012345', '02719000123a', ''])(
    'when %s is given, then it does not decode',
    (id) => {
      expect(decodeCccd(id)).toBeUndefined();
    },
  );
});

describe('checkPersonIdentity', () => {
  it('when the CCCD agrees with date of birth and gender, then no issue', () => {
    expect(
      checkPersonIdentity({ nationalId: '027190001234', dateOfBirth: '1990-05-17', gender: 'female' }, TODAY),
    ).toEqual([]);
    expect(
      checkPersonIdentity({ nationalId: '001302000001', dateOfBirth: '2002-01-01', gender: 'female' }, TODAY),
    ).toEqual([]);
  });

  it('when nothing is given, then no issue (all optional)', () => {
    expect(checkPersonIdentity({}, TODAY)).toEqual([]);
  });

  it('when the province code is unknown, then nationalId is named', () => {
    const issues = checkPersonIdentity({ nationalId: '003190001234' }, TODAY);
    expect(fields(issues)).toEqual(['nationalId']);
    expect(issues[0]!.message.en).toContain('003');
  });

  it('when the year differs from the date of birth, then nationalId is named', () => {
    expect(
      fields(checkPersonIdentity({ nationalId: '027191001234', dateOfBirth: '1990-05-17' }, TODAY)),
    ).toEqual(['nationalId']);
  });

  it('when the century differs (2090 coded as 1990), then nationalId is named', () => {
    expect(
      fields(checkPersonIdentity({ nationalId: '027090001234', dateOfBirth: '1990-05-17' }, TODAY)),
    ).toEqual([]);
    expect(
      fields(checkPersonIdentity({ nationalId: '027290001234', dateOfBirth: '1990-05-17' }, TODAY)),
    ).toEqual(['nationalId']);
  });

  it('when the sex digit differs from the gender, then nationalId is named', () => {
    expect(fields(checkPersonIdentity({ nationalId: '027090001234', gender: 'female' }, TODAY))).toEqual([
      'nationalId',
    ]);
  });

  it('when only the ID is given and its year lies in the future, then it is refused', () => {
    expect(fields(checkPersonIdentity({ nationalId: '027399001234' }, TODAY))).toEqual(['nationalId']);
    expect(fields(checkPersonIdentity({ nationalId: '027226001234' }, TODAY))).toEqual([]);
  });

  it('when a 9-digit CMND is given as nationalId, then it points to legacyNationalId', () => {
    const issues = checkPersonIdentity({ nationalId: '123456789' }, TODAY);
    expect(fields(issues)).toEqual(['nationalId']);
    expect(issues[0]!.message.en).toContain('legacyNationalId');
  });

  it.each(['12345', '12345678901', '0271900012345', '02719000123x', ' 027190001234'])(
    'when the national ID is %j, then it must be 12 digits',
    (id) => {
      expect(fields(checkPersonIdentity({ nationalId: id }, TODAY))).toEqual(['nationalId']);
    },
  );

  it('when a legacy CMND has 9 or 12 digits, then it is accepted; otherwise named', () => {
    expect(checkPersonIdentity({ legacyNationalId: '123456789' }, TODAY)).toEqual([]);
    expect(checkPersonIdentity({ legacyNationalId: '123456789012' }, TODAY)).toEqual([]);
    expect(fields(checkPersonIdentity({ legacyNationalId: '1234567890' }, TODAY))).toEqual([
      'legacyNationalId',
    ]);
  });

  it.each(['2026-02-30', '1990-13-01', '2027-01-01', '1899-12-31'])(
    'when the date of birth is %s, then dateOfBirth is named',
    (dob) => {
      expect(fields(checkPersonIdentity({ dateOfBirth: dob }, TODAY))).toEqual(['dateOfBirth']);
    },
  );

  it('when the date of birth is invalid, then the ID is not compared with it', () => {
    expect(
      fields(checkPersonIdentity({ nationalId: '027190001234', dateOfBirth: '1990-02-30' }, TODAY)),
    ).toEqual(['dateOfBirth']);
  });
});

describe('masks', () => {
  it('shows the province code and the last two digits only', () => {
    expect(maskNationalId('038190001245')).toBe('038*******45');
    expect(maskNationalId('123456789')).toBe('123****89');
    expect(maskDateOfBirth('1990-05-17')).toBe('1990-**-**');
  });
});

// ---------------------------------------------------------------- properties

const codes = Object.keys(CCCD_PROVINCE_CODES);
const arbPerson = fc.record({
  code: fc.constantFrom(...codes),
  date: fc.date({
    min: new Date('1900-01-01T00:00:00Z'),
    max: new Date('2026-11-23T00:00:00Z'),
    noInvalidDate: true,
  }),
  gender: fc.constantFrom('male' as const, 'female' as const),
  serial: fc.integer({ min: 0, max: 999_999 }),
});
const build = (p: { code: string; date: Date; gender: 'male' | 'female'; serial: number }) => {
  const year = p.date.getUTCFullYear();
  return {
    id: `${p.code}${centurySexDigit(year, p.gender)}${String(year % 100).padStart(2, '0')}${String(p.serial).padStart(6, '0')}`,
    dob: p.date.toISOString().slice(0, 10),
  };
};

describe('properties', () => {
  it('an ID built from a known province, a date of birth and a gender is always consistent with them', () => {
    fc.assert(
      fc.property(arbPerson, (p) => {
        const { id, dob } = build(p);
        expect(checkPersonIdentity({ nationalId: id, dateOfBirth: dob, gender: p.gender }, TODAY)).toEqual(
          [],
        );
        expect(decodeCccd(id)).toMatchObject({ birthYear: p.date.getUTCFullYear(), gender: p.gender });
      }),
    );
  });

  it('the same ID with the other gender is always refused', () => {
    fc.assert(
      fc.property(arbPerson, (p) => {
        const { id } = build(p);
        const other = p.gender === 'male' ? 'female' : 'male';
        expect(fields(checkPersonIdentity({ nationalId: id, gender: other }, TODAY))).toEqual(['nationalId']);
      }),
    );
  });

  it('the same ID with a date of birth in another year is always refused', () => {
    fc.assert(
      fc.property(arbPerson, fc.integer({ min: 1, max: 100 }), (p, shift) => {
        const { id } = build(p);
        const year = p.date.getUTCFullYear() - shift;
        fc.pre(year >= 1900);
        const dob = `${year}-06-15`;
        expect(fields(checkPersonIdentity({ nationalId: id, dateOfBirth: dob }, TODAY))).toContain(
          'nationalId',
        );
      }),
    );
  });

  it('a 12-digit string whose first three digits are not a province code never passes', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), (id) => {
        fc.pre(!codes.includes(id.slice(0, 3)));
        expect(fields(checkPersonIdentity({ nationalId: id }, TODAY))).toEqual(['nationalId']);
      }),
    );
  });

  it('any string that is not 12 digits is never accepted as a national ID, and the check never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (id) => {
        fc.pre(!/^\d{12}$/.test(id));
        expect(checkPersonIdentity({ nationalId: id }, TODAY).length).toBeGreaterThan(0);
      }),
    );
  });

  it('a mask never reveals more than five digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9,12}$/), (id) => {
        expect(maskNationalId(id).replace(/\*/g, '').length).toBeLessThanOrEqual(5);
        expect(maskNationalId(id)).toHaveLength(id.length);
      }),
    );
  });

  it('isRealDate agrees with the calendar', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }),
        (d) => {
          expect(isRealDate(d.toISOString().slice(0, 10))).toBe(true);
        },
      ),
    );
  });
});
