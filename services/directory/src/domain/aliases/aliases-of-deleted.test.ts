import { describe, expect, it } from 'vitest';
import { recordedAliases } from './aliases-of-deleted.ts';

describe('the aliases a delete recorded', () => {
  it('reads each alias with its kind and end, and nothing from a delete that recorded none', () => {
    expect(
      recordedAliases({
        from: 'active',
        to: 'deleted',
        aliases: [
          { address: 'vanthu@bacninh.gov.vn', kind: 'alias', expiresAt: null },
          { address: 'cu.stttt@bacninh.gov.vn', kind: 'transition', expiresAt: '2027-03-01T00:00:00.000Z' },
        ],
      }),
    ).toEqual([
      { address: 'vanthu@bacninh.gov.vn', kind: 'alias', expiresAt: null },
      { address: 'cu.stttt@bacninh.gov.vn', kind: 'transition', expiresAt: '2027-03-01T00:00:00.000Z' },
    ]);
    expect(recordedAliases({ from: 'active', to: 'deleted' })).toEqual([]);
    expect(recordedAliases(undefined)).toEqual([]);
  });

  it('leaves out what is not an alias and reads an unknown kind as an operator alias', () => {
    expect(
      recordedAliases({ aliases: [null, 7, { kind: 'alias' }, { address: 'a@bacninh.gov.vn', kind: 'x' }] }),
    ).toEqual([{ address: 'a@bacninh.gov.vn', kind: 'alias', expiresAt: null }]);
    expect(recordedAliases({ aliases: 'a@bacninh.gov.vn' })).toEqual([]);
  });
});
