import type { AgencyReorganised } from '@hopthu/shared/events';
import { describe, expect, it } from 'vitest';
import { composeAgencyReorganisationMail, composeHolderNotice } from './compose-reorganisation-mail.ts';

const event: AgencyReorganised = {
  reorganisationId: 'r-1',
  title: 'Sáp nhập tỉnh Bắc Giang vào tỉnh Bắc Ninh',
  effectiveFrom: '2025-07-01',
  agencyId: 'a-1',
  agencyName: 'Sở Công Thương',
  province: 'bac-ninh',
  officialMailbox: 'sct@bacninh.gov.vn',
  changes: [
    {
      mailboxId: 'm-1',
      displayName: 'Nguyễn Thị Bình',
      from: 'binhnt.sct@bacgiang.gov.vn',
      to: 'ntbinh.sct@bacninh.gov.vn',
      aliasUntil: '2026-03-03T08:00:00.000Z',
    },
    {
      mailboxId: 'm-2',
      displayName: 'Trần Văn Anh',
      from: 'anhtv.sct@bacgiang.gov.vn',
      to: 'tvanh.sct@bacninh.gov.vn',
      aliasUntil: '2026-03-03T08:00:00.000Z',
    },
  ],
};

describe('reorganisation mails', () => {
  it('when an agency’s addresses changed, then one mail lists every change old → new with the forwarding end', () => {
    const mail = composeAgencyReorganisationMail(event);
    expect(mail.subject).toContain('Sở Công Thương (2 hộp thư)');
    expect(mail.text).toContain('1. Nguyễn Thị Bình: binhnt.sct@bacgiang.gov.vn → ntbinh.sct@bacninh.gov.vn');
    expect(mail.text).toContain('2. Trần Văn Anh: anhtv.sct@bacgiang.gov.vn → tvanh.sct@bacninh.gov.vn');
    expect(mail.text).toContain('hiệu lực từ 01/07/2025');
    expect(mail.text).toContain('đến hết ngày 03/03/2026');
  });

  it('when a holder’s address changed, then the notice names the old and new address and no password', () => {
    const notice = composeHolderNotice(event, event.changes[1] as AgencyReorganised['changes'][number]);
    expect(notice.subject).toContain('tvanh.sct@bacninh.gov.vn');
    expect(notice.text).toContain('từ anhtv.sct@bacgiang.gov.vn thành tvanh.sct@bacninh.gov.vn');
    expect(notice.text.toLowerCase()).not.toMatch(/mật khẩu (mới|là)/);
  });
});
