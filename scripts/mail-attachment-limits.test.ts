// The attachment limits the mail server applies per recipient domain (infra/mail/attachment-limits.ts).
import { getPolicy, listPolicies, MB } from '@hopthu/naming';
import { describe, expect, it } from 'vitest';
import {
  asciiText,
  domainSizeLimits,
  encodedMessageLimit,
  formatDomainSizeLimits,
  HEADER_ALLOWANCE_BYTES,
  largestEncodedLimit,
} from '../infra/mail/attachment-limits.ts';

describe('the encoded message limit of an attachment limit', () => {
  it('a legal 10 MB attachment needs about 13.7 MB of message (base64, line breaks, headers)', () => {
    const limit = encodedMessageLimit(10 * MB);
    expect(limit).toBeGreaterThan((10 * MB * 4) / 3);
    expect(limit / MB).toBeCloseTo(13.75, 1);
  });

  it('is exactly base64 (4 per 3 bytes) plus CRLF every 76 characters plus the header allowance', () => {
    expect(encodedMessageLimit(3)).toBe(4 + 2 + HEADER_ALLOWANCE_BYTES);
    expect(encodedMessageLimit(57)).toBe(76 + 2 + HEADER_ALLOWANCE_BYTES);
    expect(encodedMessageLimit(58)).toBe(80 + 4 + HEADER_ALLOWANCE_BYTES);
  });

  it('grows with the attachment', () => {
    for (let n = 0; n < 2000; n += 7)
      expect(encodedMessageLimit(n + 1)).toBeGreaterThanOrEqual(encodedMessageLimit(n));
  });
});

describe('the table per domain', () => {
  const rows = domainSizeLimits(listPolicies());

  it('has each seed province domain with its own limit and article', () => {
    const th = rows.find((r) => r.domain === 'thanhhoa.gov.vn');
    expect(th).toMatchObject({
      province: 'thanh-hoa',
      attachmentBytes: 10 * MB,
      article: getPolicy('thanh-hoa').capacity.article,
    });
    expect(rows.find((r) => r.domain === 'daknong.gov.vn')?.attachmentBytes).toBe(25 * MB);
  });

  it('the ceiling is the largest province (Đắk Nông 25 MB) encoded', () => {
    expect(largestEncodedLimit(listPolicies())).toBe(encodedMessageLimit(25 * MB));
  });

  it('alias domains of a province get its limit', () => {
    const policy = { ...getPolicy('bac-ninh'), aliasDomains: ['bacgiang.gov.vn'] };
    expect(domainSizeLimits([policy]).map((r) => r.domain)).toEqual(['bacninh.gov.vn', 'bacgiang.gov.vn']);
  });

  it('prints ASCII lines: domain, encoded bytes, MB, province, article', () => {
    const text = formatDomainSizeLimits(rows);
    expect(text).toMatch(/^thanhhoa\.gov\.vn 14414474 10 thanh-hoa Dieu 9$/m);
    expect(text).not.toMatch(/[^\x20-\x7e\n]/);
    expect(asciiText('Điều 5 khoản 1')).toBe('Dieu 5 khoan 1');
  });
});
