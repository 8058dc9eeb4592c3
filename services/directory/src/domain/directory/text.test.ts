import { describe, expect, it } from 'vitest';
import { displayName, foldedPersonName, foldForSearch, searchWords } from './text.ts';

describe('foldForSearch', () => {
  it('when text has Vietnamese diacritics, then they fold to plain ASCII words', () => {
    expect(foldForSearch('Nguyễn Văn Á')).toBe('nguyen van a');
    expect(foldForSearch('Đặng  Thị   Hương')).toBe('dang thi huong');
  });
  it('when text has punctuation and apostrophes, then only words remain', () => {
    expect(foldForSearch("H'Hen Niê, Sở TT&TT")).toBe('hhen nie so tt tt');
  });
});

describe('searchWords', () => {
  it('when the query is blank or symbols only, then there are no words', () => {
    expect(searchWords('  ')).toEqual([]);
    expect(searchWords('--')).toEqual([]);
  });
  it('when the query is written without diacritics, then it equals the folded name words', () => {
    expect(searchWords('nguyen van a')).toEqual(
      foldedPersonName({ familyName: 'Nguyễn', middleName: 'Văn', givenName: 'A' }).split(' '),
    );
  });
});

describe('displayName', () => {
  it('when the middle name is empty, then no double space appears', () => {
    expect(displayName({ familyName: 'Lê', middleName: '', givenName: 'Phương' })).toBe('Lê Phương');
  });
  it('when parts are decomposed (NFD), then the display name is NFC', () => {
    const nfd = 'Trần'.normalize('NFD');
    expect(displayName({ familyName: nfd, middleName: 'Văn', givenName: 'Anh' })).toBe(
      'Trần Văn Anh'.normalize('NFC'),
    );
  });
});
