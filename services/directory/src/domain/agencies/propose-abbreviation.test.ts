import { describe, expect, it } from 'vitest';
import { abbreviationCandidates, proposeAbbreviations } from './propose-abbreviation.ts';

describe('proposing a free abbreviation', () => {
  it('Sở Ngoại vụ asking for the taken snv is offered sngv first (Kiên Giang Điều 4 khoản 1)', () => {
    expect(
      proposeAbbreviations(
        { name: 'Sở Ngoại vụ', unitType: 'agency', abbreviation: 'snv' },
        new Set(['snv']),
      ),
    ).toEqual(['sngv', 'snv1', 'snv2']);
  });

  it('a variant that is taken too is skipped', () => {
    expect(
      proposeAbbreviations(
        { name: 'Sở Ngoại vụ', unitType: 'agency', abbreviation: 'snv' },
        new Set(['snv', 'sngv', 'snv1']),
      )[0],
    ).toBe('snv2');
  });

  it('a chosen abbreviation unlike the name offers the derived one before numbers', () => {
    expect(
      abbreviationCandidates({ name: 'Sở Nội vụ', unitType: 'agency', abbreviation: 'noivu' }).slice(0, 2),
    ).toEqual(['snv', 'noivu1']);
  });

  it('a sub-unit is offered its parent glued on before a number', () => {
    const c = abbreviationCandidates({
      name: 'Phòng Nội vụ',
      unitType: 'subunit',
      abbreviation: 'pnv',
      parentAbbreviation: 'cl',
    });
    expect(c).toContain('pnvcl');
    expect(c.indexOf('pnvcl')).toBeLessThan(c.indexOf('pnv1'));
  });

  it('never proposes the wanted abbreviation itself, nor one twice', () => {
    const c = abbreviationCandidates({ name: 'Sở Nội vụ', unitType: 'agency', abbreviation: 'snv' });
    expect(c).not.toContain('snv');
    expect(new Set(c).size).toBe(c.length);
  });

  it('a name without letters still gets numbered proposals', () => {
    expect(proposeAbbreviations({ name: '!!!', unitType: 'agency', abbreviation: 'x' }, new Set())).toEqual([
      'x1',
      'x2',
      'x3',
    ]);
  });
});
