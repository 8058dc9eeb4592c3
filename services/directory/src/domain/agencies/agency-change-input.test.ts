import { AppError } from '@hopthu/shared/errors';
import { describe, expect, it } from 'vitest';
import { checkAgencyChange, isUnitCode } from './agency-change-input.ts';

const now = new Date('2026-12-03T05:00:00Z');
const agency = {
  name: 'Sở Thông tin và Truyền thông',
  abbreviation: 'stttt',
  parentId: null,
  unitCode: '000.00.21.H27',
  validFrom: new Date('2026-01-01T00:00:00Z'),
  dissolvedAt: null,
};

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.errors[0]?.field ?? error.code;
    throw error;
  }
  return undefined;
}

describe('an agency change as asked', () => {
  it('when only the name is given, then the rest is kept and it takes effect now', () => {
    const change = checkAgencyChange(agency, { name: '  Sở Khoa học và Công nghệ ' }, now);
    expect(change).toMatchObject({
      name: 'Sở Khoa học và Công nghệ',
      abbreviation: 'stttt',
      parentId: null,
      unitCode: undefined,
      validFrom: now,
    });
  });

  it('when the abbreviation has Vietnamese letters, then it is folded to ASCII', () => {
    expect(checkAgencyChange(agency, { abbreviation: 'Snv' }, now).abbreviation).toBe('snv');
    expect(checkAgencyChange(agency, { abbreviation: 'sở' }, now).abbreviation).toBe('so');
  });

  it('when a unit code of QĐ 20/2020/QĐ-TTg is given, then it is taken; null clears it', () => {
    expect(checkAgencyChange(agency, { unitCode: '000.00.22.H27' }, now).unitCode).toBe('000.00.22.H27');
    expect(checkAgencyChange(agency, { unitCode: null }, now).unitCode).toBeNull();
  });

  it('when the unit code is not in the form of QĐ 20/2020, then /unitCode is named', () => {
    for (const code of ['H07.30', '000.00.21.h27', '00.00.21.H27', '000.00.21.H2', 'x']) {
      expect(isUnitCode(code)).toBe(false);
      expect(fieldOf(() => checkAgencyChange(agency, { unitCode: code }, now))).toBe('/unitCode');
    }
    expect(isUnitCode('000.00.00.G12')).toBe(true);
  });

  it('when the date is in the future or before the current version, then /effectiveFrom is named', () => {
    expect(fieldOf(() => checkAgencyChange(agency, { effectiveFrom: '2026-12-04T00:00:00Z' }, now))).toBe(
      '/effectiveFrom',
    );
    expect(fieldOf(() => checkAgencyChange(agency, { effectiveFrom: '2025-12-31T00:00:00Z' }, now))).toBe(
      '/effectiveFrom',
    );
    const back = checkAgencyChange(
      agency,
      { name: 'Sở Nội vụ', effectiveFrom: '2026-07-01T00:00:00+07:00' },
      now,
    );
    expect(back.validFrom.toISOString()).toBe('2026-06-30T17:00:00.000Z');
  });

  it('when the name is blank, the abbreviation malformed or the mailbox name invalid, then that field is named', () => {
    expect(fieldOf(() => checkAgencyChange(agency, { name: '   ' }, now))).toBe('/name');
    expect(fieldOf(() => checkAgencyChange(agency, { abbreviation: 's tt' }, now))).toBe('/abbreviation');
    expect(fieldOf(() => checkAgencyChange(agency, { abbreviation: 'a'.repeat(33) }, now))).toBe(
      '/abbreviation',
    );
    expect(fieldOf(() => checkAgencyChange(agency, { mailboxName: 'a b' }, now))).toBe('/mailboxName');
  });

  it('when the agency is dissolved, then nothing about it may change', () => {
    const dissolved = { ...agency, dissolvedAt: new Date('2026-11-01T00:00:00Z') };
    expect(fieldOf(() => checkAgencyChange(dissolved, { name: 'Sở mới' }, now))).toBe('conflict');
  });
});
