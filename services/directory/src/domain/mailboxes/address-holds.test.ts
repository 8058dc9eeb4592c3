import { getPolicy } from '@hopthu/naming';
import { describe, expect, it } from 'vitest';
import { retiredHoldDaysFor, transitionAliasUntil } from './address-holds.ts';

const holds = { retiredHoldDays: 365, renameAliasDays: 90 };

describe('address holds', () => {
  it('when the province has a policy, then its retention.retiredAddressDays is the hold, not RETIRED_HOLD_DAYS', () => {
    for (const province of ['bac-ninh', 'dak-nong', 'khanh-hoa', 'kien-giang', 'thanh-hoa']) {
      expect(retiredHoldDaysFor(holds, province)).toBe(getPolicy(province).retention.retiredAddressDays);
    }
  });

  it('when the province has no policy, then RETIRED_HOLD_DAYS is the hold', () => {
    expect(retiredHoldDaysFor(holds, 'no-such-province')).toBe(365);
    expect(retiredHoldDaysFor({ ...holds, retiredHoldDays: 30 }, 'no-such-province')).toBe(30);
  });

  it('when an address changes, then the old one stays an alias for RENAME_ALIAS_DAYS from the change', () => {
    const at = new Date('2026-03-02T02:00:00.000Z');
    expect(transitionAliasUntil(holds, at).toISOString()).toBe('2026-05-31T02:00:00.000Z');
    expect(transitionAliasUntil({ ...holds, renameAliasDays: 0 }, at)).toEqual(at);
  });
});
