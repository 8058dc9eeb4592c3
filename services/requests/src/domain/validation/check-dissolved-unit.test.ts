import { describe, expect, it } from 'vitest';
import type { AgencyRow } from '../../db/replica-repository.ts';
import type { SubmitBody } from '../requests/submission.ts';
import { checkDissolvedUnits } from './check-dissolved-unit.ts';
import { Problems } from './check-item.ts';

const unit = (id: string, dissolvedAt: string | null): AgencyRow => ({
  agency_id: id,
  province: 'bac-ninh',
  domain: 'bacninh.gov.vn',
  name: `Đơn vị ${id}`,
  abbreviation: id,
  parent_id: null,
  ancestor_ids: [id],
  official_mailbox: null,
  updated_at: new Date(),
  dissolved_at: dissolvedAt === null ? null : new Date(dissolvedAt),
});

const agencies = new Map([
  ['song', unit('song', null)],
  ['gone', unit('gone', '2026-11-30T18:00:00Z')],
]);

function check(body: Partial<SubmitBody>) {
  const problems = new Problems();
  checkDissolvedUnits({ body: { agencyId: 'song', items: [], ...body } as SubmitBody, agencies }, problems);
  return problems;
}

describe('checkDissolvedUnits', () => {
  it('refuses a request acting for a dissolved unit, naming it and the day in Vietnam', () => {
    const problems = check({
      agencyId: 'gone',
      items: [{ operation: 'create', mailboxType: 'agency' }] as never,
    });
    expect(problems.conflicts).toEqual([
      {
        field: '/agencyId',
        message: {
          vi: 'Đơn vị Đơn vị gone đã giải thể từ ngày 01/12/2026; không nhận yêu cầu cho đơn vị này',
          en: 'the unit Đơn vị gone was dissolved on 01/12/2026; it takes no requests',
        },
      },
    ]);
  });

  it('refuses an item creating in, or transferring into, a dissolved unit; a live one passes', () => {
    const problems = check({
      items: [
        { operation: 'create', mailboxType: 'agency', agencyId: 'gone' },
        {
          operation: 'update',
          mailboxType: 'personal',
          address: 'a@bacninh.gov.vn',
          changes: { agencyId: 'gone' },
        },
        { operation: 'create', mailboxType: 'agency', agencyId: 'song' },
      ] as never,
    });
    expect(problems.conflicts.map((p) => p.field)).toEqual([
      '/items/0/agencyId',
      '/items/1/changes/agencyId',
    ]);
    expect(problems.invalid).toEqual([]);
    expect(problems.forbidden).toEqual([]);
  });

  it('leaves an unknown unit to the scope check', () => {
    expect(
      check({ items: [{ operation: 'create', mailboxType: 'agency', agencyId: 'x' }] as never }).conflicts,
    ).toEqual([]);
  });
});
