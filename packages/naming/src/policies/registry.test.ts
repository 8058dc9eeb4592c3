import { describe, expect, it } from 'vitest';
import { NamingError } from '../errors.ts';
import { getPolicy, listPolicies, validatePolicy } from './registry.ts';
import { GB, MB } from './sizes.ts';

describe('province policies', () => {
  it('lists the five provinces of the seed texts in order', () => {
    expect(listPolicies().map((p) => p.id)).toEqual([
      'thanh-hoa',
      'dak-nong',
      'bac-ninh',
      'khanh-hoa',
      'kien-giang',
    ]);
  });

  it('every policy passes validation', () => {
    for (const policy of listPolicies()) expect(validatePolicy(policy), policy.id).toEqual([]);
  });

  it('a policy with bad data is reported', () => {
    const broken = {
      ...getPolicy('bac-ninh'),
      id: 'Bắc Ninh',
      domain: 'bacninh',
      agencyQuotaBytes: 0,
      reserved: ['Admin'],
    };
    expect(validatePolicy(broken)).toHaveLength(4);
  });

  it('an inactivity rule with a period that is not a whole number of months is reported', () => {
    const broken = {
      ...getPolicy('bac-ninh'),
      inactivity: { months: 0.5, action: 'lock' as const, article: 'x' },
    };
    expect(validatePolicy(broken)).toEqual(['inactivity.months must be a positive integer']);
  });

  it('policies are frozen data', () => {
    expect(Object.isFrozen(getPolicy('bac-ninh'))).toBe(true);
    expect(Object.isFrozen(getPolicy('bac-ninh').collision)).toBe(true);
  });

  it('names and domains are those of the regulations', () => {
    expect(listPolicies().map((p) => [p.name, p.domain])).toEqual([
      ['Thanh Hóa', 'thanhhoa.gov.vn'],
      ['Đắk Nông', 'daknong.gov.vn'],
      ['Bắc Ninh', 'bacninh.gov.vn'],
      ['Khánh Hòa', 'khanhhoa.gov.vn'],
      ['Kiên Giang', 'kiengiang.gov.vn'],
    ]);
  });

  it('quotas and attachment limits follow regulations.md §4 in binary bytes (minimum for ≥, maximum for ≤)', () => {
    const figures = Object.fromEntries(
      listPolicies().map((p) => [p.id, [p.agencyQuotaBytes, p.personalQuotaBytes, p.attachmentLimitBytes]]),
    );
    expect(figures).toEqual({
      'thanh-hoa': [500 * MB, 100 * MB, 10 * MB], // Điều 9
      'dak-nong': [500 * MB, 500 * MB, 25 * MB], // Điều 5 khoản 2
      'bac-ninh': [10 * GB, 1 * GB, 20 * MB], // Điều 5 khoản 1
      'khanh-hoa': [500 * MB, 100 * MB, 10 * MB], // Điều 9
      'kien-giang': [5 * GB, 1 * GB, 15 * MB], // Điều 10 khoản 1
    });
    expect(MB).toBe(1_048_576);
  });

  it('collision strategies: operator (TH, KH), letters (DN), numbers (BN), numbers with rank (KG)', () => {
    const kinds = listPolicies().map((p) => [
      p.id,
      p.collision.kind,
      p.collision.kind === 'numeric' ? p.collision.rankPriority : null,
    ]);
    expect(kinds).toEqual([
      ['thanh-hoa', 'operator', null],
      ['dak-nong', 'letters', null],
      ['bac-ninh', 'numeric', false],
      ['khanh-hoa', 'operator', null],
      ['kien-giang', 'numeric', true],
    ]);
  });

  it('the default reserved list holds the role addresses', () => {
    for (const local of [
      'postmaster',
      'abuse',
      'admin',
      'hostmaster',
      'webmaster',
      'root',
      'noreply',
      'no-reply',
      'support',
      'info',
      'security',
      'internal',
    ]) {
      for (const policy of listPolicies()) expect(policy.reserved, policy.id).toContain(local);
    }
  });

  it('when the province is unknown, then unknown_province lists the known ones', () => {
    expect(() => getPolicy('ha-noi')).toThrow(NamingError);
    try {
      getPolicy('ha-noi');
    } catch (error) {
      expect(error).toMatchObject({ code: 'unknown_province', field: 'province' });
      expect((error as NamingError).messages.en).toContain('bac-ninh');
    }
  });
});
