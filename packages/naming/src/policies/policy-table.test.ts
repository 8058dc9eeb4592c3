// The table of per-province values: every value of every seed is in it with its article, and the
// copy in docs/provinces.md is the five seeds' table as the code prints it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { perProvinceTable, tableCells } from './policy-table.ts';
import { loadSeedPolicies } from './province-policy-files.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

describe('perProvinceTable', () => {
  const seeds = loadSeedPolicies();
  const rows = tableCells(perProvinceTable(seeds));
  const row = (what: string) => {
    const found = rows.find((r) => r[0]!.includes(`(\`${what}\`)`));
    if (!found) throw new Error(`no row for ${what}`);
    return Object.fromEntries(seeds.map((p, i) => [p.id, found[i + 1]]));
  };

  it('has a column per province and each value with its article', () => {
    expect(rows[0]).toEqual(['value', 'Thanh Hóa', 'Đắk Nông', 'Bắc Ninh', 'Khánh Hòa', 'Kiên Giang']);
    expect(row('resultCopy')['kien-giang']).toBe('`sttt@kiengiang.gov.vn` (Điều 5 khoản 3)');
    expect(row('resultCopy')['thanh-hoa']).toBe('—');
    expect(row('sla')['bac-ninh']).toBe('2 working days (Điều 4 khoản 2 điểm b)');
    expect(row('sla')['dak-nong']).toBe('2 working days (no article: hopthu default)');
    expect(row('capacities.attachment')).toEqual({
      'thanh-hoa': '10 MB (Điều 9)',
      'dak-nong': '25 MB (Điều 5 khoản 2)',
      'bac-ninh': '20 MB (Điều 5 khoản 1)',
      'khanh-hoa': '10 MB (Điều 9)',
      'kien-giang': '15 MB (Điều 10 khoản 1)',
    });
    expect(row('password')['bac-ninh']).toBe(
      '≥ 8 characters, upper case, lower case, a digit, one of `!@#%$*&` (Điều 5 khoản 2)',
    );
    expect(row('firstLoginChange')['khanh-hoa']).toBe('reset (Điều 4 khoản 2)');
    expect(row('inactivity')['kien-giang']).toBe(
      '6 months without login, send → reclaim, kept for a reissue (Điều 5 khoản 4)',
    );
    expect(row('inactivity')['khanh-hoa']).toBe('—');
    expect(row('retention.deletedMailDays')['thanh-hoa']).toBe('90 days (no article: hopthu default)');
    expect(row('retention.retiredAddressDays')['kien-giang']).toBe('365 days (no article: hopthu default)');
    expect(row('agencyHandover')['dak-nong']).toBe(
      'password reset, credential to the filer (Điều 13 khoản 2)',
    );
    // every filled cell names where its value comes from
    for (const r of rows.slice(2))
      for (const cell of r.slice(1))
        expect(cell === '—' || /\((Điều|no article)/.test(cell), cell).toBe(true);
  });

  it('docs/provinces.md carries the five seeds’ table (regenerate: ./hopthu policy table --seeds)', () => {
    const doc = readFileSync(join(ROOT, 'docs/provinces.md'), 'utf8');
    const start = doc.indexOf('<!-- policy-table:');
    const end = doc.indexOf('<!-- /policy-table -->');
    expect(start).toBeGreaterThan(0);
    expect(tableCells(doc.slice(start, end))).toEqual(rows);
  });
});
