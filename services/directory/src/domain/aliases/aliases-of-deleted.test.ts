import { describe, expect, it } from 'vitest';
import { notRestoredNote, recordedAliases } from './aliases-of-deleted.ts';

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

describe("the restore's item result for the aliases that did not come back", () => {
  it('names each with why in Vietnamese, then in English, and says nothing when all came back', () => {
    const note = notRestoredNote([
      {
        alias: 'a@bacninh.gov.vn',
        reason: {
          vi: 'Bí danh a@bacninh.gov.vn không được khôi phục',
          en: 'The alias a@bacninh.gov.vn was not brought back',
        },
      },
      {
        alias: 'b@bacninh.gov.vn',
        reason: {
          vi: 'Bí danh b@bacninh.gov.vn không được khôi phục',
          en: 'The alias b@bacninh.gov.vn was not brought back',
        },
      },
    ]);
    expect(note).toBe(
      'Hộp thư đã được khôi phục. Bí danh a@bacninh.gov.vn không được khôi phục; Bí danh b@bacninh.gov.vn không được khôi phục' +
        ' / The mailbox was restored. The alias a@bacninh.gov.vn was not brought back; The alias b@bacninh.gov.vn was not brought back',
    );
    expect(notRestoredNote([])).toBeNull();
  });
});
