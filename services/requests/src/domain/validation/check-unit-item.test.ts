import { describe, expect, it } from 'vitest';
import type { AgencyRow } from '../../db/replica-repository.ts';
import type { SubmitBody } from '../requests/submission.ts';
import { type Item, type ItemContext, Problems } from './check-item.ts';
import { checkUnitItem } from './check-unit-item.ts';

const AGENCY = '0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f';
const unitRow = { agency_id: AGENCY, name: 'Sở Nội vụ', abbreviation: 'snv' } as unknown as AgencyRow;

function check(item: Item): Problems {
  const body = { agencyId: AGENCY, items: [item] } as unknown as SubmitBody;
  const ctx = { body, agencies: new Map([[AGENCY, unitRow]]) } as unknown as ItemContext;
  const problems = new Problems();
  checkUnitItem(ctx, item, '/items/0', problems);
  return problems;
}
const fields = (p: Problems) => p.invalid.map((e) => e.field);

describe('an item about the unit itself', () => {
  it('when a rename carries a new name and a reason, then it passes', () => {
    expect(
      fields(check({ operation: 'rename_unit', unit: { name: 'Sở Nội vụ mới' }, reason: 'QĐ 12/QĐ-UBND' })),
    ).toEqual([]);
    expect(
      fields(check({ operation: 'rename_unit', unit: { abbreviation: 'snv2' }, reason: 'QĐ 12' })),
    ).toEqual([]);
  });

  it('when a rename has nothing to change, the same name, or a malformed abbreviation, then that field is named', () => {
    expect(fields(check({ operation: 'rename_unit', reason: 'QĐ 12' }))).toEqual(['/items/0/unit']);
    expect(fields(check({ operation: 'rename_unit', unit: { name: 'Sở Nội vụ' }, reason: 'QĐ 12' }))).toEqual(
      ['/items/0/unit/name'],
    );
    expect(
      fields(check({ operation: 'rename_unit', unit: { abbreviation: 'Sở NV' }, reason: 'QĐ 12' })),
    ).toEqual(['/items/0/unit/abbreviation']);
  });

  it('when a unit item has no reason, names a mailbox or a person, or a dissolution carries unit, then each is named', () => {
    expect(fields(check({ operation: 'dissolve_unit' }))).toEqual(['/items/0/reason']);
    expect(
      fields(
        check({
          operation: 'dissolve_unit',
          address: 'a.snv@bacninh.gov.vn',
          mailboxType: 'personal',
          unit: { name: 'x' },
          reason: 'QĐ 13',
        }),
      ),
    ).toEqual(['/items/0/address', '/items/0/mailboxType', '/items/0/unit']);
  });

  it('when another operation carries unit, then it is refused', () => {
    expect(
      fields(check({ operation: 'suspend', address: 'a.snv@bacninh.gov.vn', unit: { name: 'Sở mới' } })),
    ).toEqual(['/items/0/unit']);
    expect(fields(check({ operation: 'suspend', address: 'a.snv@bacninh.gov.vn' }))).toEqual([]);
  });
});
