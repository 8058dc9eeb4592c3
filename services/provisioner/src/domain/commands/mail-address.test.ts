import { describe, expect, it } from 'vitest';
import { maildirFor, parseMailAddress, retentionPathFor } from './mail-address.ts';

describe('maildirFor', () => {
  it('when given an address, then the maildir is <domain>/<localpart>/', () => {
    expect(maildirFor('tvanh.stttt@bacninh.gov.vn')).toBe('bacninh.gov.vn/tvanh.stttt/');
  });

  it('when the address is not one the mail server can hold, then it throws', () => {
    expect(() => maildirFor('../etc@bacninh.gov.vn')).toThrow();
    expect(() => maildirFor('Upper@bacninh.gov.vn')).toThrow();
  });
});

describe('parseMailAddress', () => {
  it.each(['a@b.vn', 'nguyen.van.a@stttt.bacninh.gov.vn', 'x_1+tag@provtest.gov.vn'])(
    'when %s, then it is accepted',
    (a) => {
      expect(parseMailAddress(a)?.address).toBe(a);
    },
  );

  it.each([
    '',
    'no-at-sign',
    '@bacninh.gov.vn',
    'a@@bacninh.gov.vn',
    'a b@bacninh.gov.vn',
    'Anh@bacninh.gov.vn',
    'anh@BACNINH.gov.vn',
    '.anh@bacninh.gov.vn',
    'an..h@bacninh.gov.vn',
    'anh@localhost',
    'anh@bac_ninh.gov.vn',
    'tuấn@bacninh.gov.vn',
    `${'a'.repeat(65)}@bacninh.gov.vn`,
  ])('when %j, then it is refused', (a) => {
    expect(parseMailAddress(a)).toBeNull();
  });
});

describe('retentionPathFor', () => {
  it('when a mailbox is deleted, then its maildir goes under the day and the address with its generation', () => {
    expect(retentionPathFor('/var/vmail/.retention/', 'a@b.vn', 4, new Date('2026-11-23T10:00:00Z'))).toBe(
      '/var/vmail/.retention/2026-11-23/a@b.vn-g4',
    );
  });
});
