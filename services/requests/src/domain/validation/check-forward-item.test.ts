import { describe, expect, it } from 'vitest';
import type { AgencyRow, MailboxRow } from '../../db/replica-repository.ts';
import { checkForwardItem } from './check-forward-item.ts';
import { type Item, type ItemContext, Problems } from './check-item.ts';

const UNIT = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';

/** The problems of one item on `address`, a mailbox of a unit of `province` at `domain`. */
function problemsOf(item: Item, province: string, domain: string) {
  const unit = { agency_id: UNIT, province, domain } as unknown as AgencyRow;
  const mailboxes = new Map<string, MailboxRow>();
  if (item.address) mailboxes.set(item.address, { address: item.address, agency_id: UNIT } as MailboxRow);
  const ctx = { agency: unit, agencies: new Map([[UNIT, unit]]), mailboxes } as unknown as ItemContext;
  const problems = new Problems();
  checkForwardItem(ctx, item, '/items/2', problems);
  return problems.invalid.map((e) => ({ field: e.field, ...e.message }));
}
const bacNinh = (item: Item) => problemsOf(item, 'bac-ninh', 'bacninh.gov.vn');

describe('an item on a mailbox forward', () => {
  it("when Bắc Ninh forwards to one of its own mailboxes or a state body's, then it passes; a clear needs nothing", () => {
    const address = 'lvan.sotc@bacninh.gov.vn';
    expect(bacNinh({ operation: 'set_forward', address, forwardTo: 'TT.SOTC@bacninh.gov.vn' })).toEqual([]);
    expect(bacNinh({ operation: 'set_forward', address, forwardTo: 'vanthu@mic.gov.vn' })).toEqual([]);
    expect(bacNinh({ operation: 'clear_forward', address })).toEqual([]);
  });

  it('when Bắc Ninh forwards to gmail.com, then forwardTo is refused naming Điều 8 khoản 5 in Vietnamese and English', () => {
    const [problem, ...more] = bacNinh({
      operation: 'set_forward',
      address: 'lvan.sotc@bacninh.gov.vn',
      forwardTo: 'lvan.rieng@gmail.com',
    });
    expect(more).toEqual([]);
    expect(problem?.field).toBe('/items/2/forwardTo');
    expect(problem?.vi).toContain('Điều 8 khoản 5');
    expect(problem?.en).toContain('Điều 8 khoản 5');
    expect(problem?.en).toContain('state body');
  });

  it('when a province has no forwarding rule, then an outside target passes, but never the own address', () => {
    const address = 'lvan.sotc@daknong.gov.vn';
    expect(
      problemsOf(
        { operation: 'set_forward', address, forwardTo: 'x@gmail.com' },
        'dak-nong',
        'daknong.gov.vn',
      ),
    ).toEqual([]);
    const [own] = problemsOf(
      { operation: 'set_forward', address, forwardTo: address.toUpperCase() },
      'dak-nong',
      'daknong.gov.vn',
    );
    expect(own).toMatchObject({ field: '/items/2/forwardTo', en: expect.stringContaining('own address') });
  });

  it('when set_forward has no target, or another item (clear_forward too) has one, then forwardTo is named', () => {
    const address = 'lvan.sotc@bacninh.gov.vn';
    const fields = (item: Item) => bacNinh(item).map((p) => p.field);
    expect(fields({ operation: 'set_forward', address })).toEqual(['/items/2/forwardTo']);
    expect(fields({ operation: 'clear_forward', address, forwardTo: 'a@bacninh.gov.vn' })).toEqual([
      '/items/2/forwardTo',
    ]);
    expect(fields({ operation: 'suspend', address, forwardTo: 'a@bacninh.gov.vn' })).toEqual([
      '/items/2/forwardTo',
    ]);
  });
});
