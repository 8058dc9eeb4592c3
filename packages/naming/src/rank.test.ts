import { describe, expect, it } from 'vitest';
import { rankOfPosition, UNRECOGNISED_POSITION_RANK } from './rank.ts';

describe('rankOfPosition (Kiên Giang Điều 4 khoản 3: ưu tiên theo cấp bậc, chức vụ)', () => {
  it('when positions are compared, then head > deputy > head of division > deputy > specialist', () => {
    const order = [
      'Giám đốc Sở',
      'Phó Giám đốc',
      'Chánh Văn phòng',
      'Trưởng phòng Kế hoạch',
      'Phó Trưởng phòng',
      'Chuyên viên chính',
      'Chuyên viên',
      'Lái xe',
    ].map(rankOfPosition) as number[];
    for (let i = 1; i < order.length; i++) expect(order[i]).toBeGreaterThanOrEqual(order[i - 1] as number);
    expect(rankOfPosition('Giám đốc')).toBeLessThan(rankOfPosition('Phó Giám đốc') as number);
    expect(rankOfPosition('Phó Giám đốc')).toBeLessThan(rankOfPosition('Trưởng phòng') as number);
    expect(rankOfPosition('Lái xe')).toBe(UNRECOGNISED_POSITION_RANK);
  });

  it('when the position is missing, blank, or written without diacritics, then it is undefined or ranked the same', () => {
    expect(rankOfPosition(undefined)).toBeUndefined();
    expect(rankOfPosition('  ')).toBeUndefined();
    expect(rankOfPosition('pho giam doc')).toBe(rankOfPosition('Phó Giám đốc'));
    expect(rankOfPosition('TRƯỞNG PHÒNG')).toBe(rankOfPosition('Trưởng phòng'));
  });
});
