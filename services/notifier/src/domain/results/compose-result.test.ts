import type { RequestFinished } from '@hopthu/shared/events';
import { describe, expect, it } from 'vitest';
import { composeResultMail, composeResultPayload, formatVnTime } from './compose-result.ts';

function buildFinished(overrides: Partial<RequestFinished> = {}): RequestFinished {
  return {
    requestId: 'req-1',
    agencyId: 'ag-1',
    province: 'bac-ninh',
    status: 'partially_completed',
    receivedAt: '2026-11-20T02:15:00.000Z',
    dueAt: '2026-11-24T17:00:00.000Z',
    finishedAt: '2026-11-21T03:02:00.000Z',
    reference: { number: '123/STTTT-VP', date: '2026-11-20' },
    requestUrl: 'https://hopthu.example/v1/requests/req-1',
    items: [
      {
        itemId: 'i1',
        operation: 'create',
        mailboxType: 'personal',
        status: 'completed',
        address: 'tvanh.stttt@bacninh.gov.vn',
        // decomposed (NFD) input must come out NFC
        displayName: 'Trần Văn Anh'.normalize('NFD'),
        hasCredential: true,
      },
      {
        itemId: 'i2',
        operation: 'suspend',
        mailboxType: 'personal',
        status: 'failed',
        address: 'nvb.stttt@bacninh.gov.vn',
        reason: 'Hộp thư không tồn tại',
        hasCredential: false,
      },
      {
        itemId: 'i3',
        operation: 'reset_password',
        mailboxType: 'agency',
        status: 'rejected',
        address: 'vanthu.stttt@bacninh.gov.vn',
        reason: 'Không đủ thẩm quyền',
        hasCredential: false,
      },
    ],
    ...overrides,
  };
}

const agency = { name: 'Sở Thông tin và Truyền thông', officialMailbox: 'stttt@bacninh.gov.vn' };

describe('composeResultMail', () => {
  it('when a request is finished, then the subject is Vietnamese with the reference number', () => {
    const mail = composeResultMail(buildFinished(), agency);
    expect(mail.subject).toBe('[hopthu] Kết quả xử lý yêu cầu số 123/STTTT-VP');
  });

  it('when items end differently, then each shows its operation, address, outcome and reason', () => {
    const { text } = composeResultMail(buildFinished(), agency);
    expect(text).toContain('1. Tạo mới hộp thư cá nhân (Trần Văn Anh)');
    expect(text).toContain('Địa chỉ: tvanh.stttt@bacninh.gov.vn');
    expect(text).toContain('Kết quả: hoàn thành');
    expect(text).toContain('2. Tạm khóa hộp thư cá nhân');
    expect(text).toContain('Kết quả: không thực hiện được');
    expect(text).toContain('Lý do: Hộp thư không tồn tại');
    expect(text).toContain('3. Cấp lại mật khẩu hộp thư cơ quan');
    expect(text).toContain('Kết quả: bị từ chối');
    expect(text).toContain('Lý do: Không đủ thẩm quyền');
    expect(text).toContain('Kết quả chung: hoàn thành một phần');
  });

  it('when an item has a credential, then the mail explains the one-time link and shows the request URL, never a password', () => {
    const { text } = composeResultMail(buildFinished(), agency);
    expect(text).toContain('Cách nhận thông tin đăng nhập');
    expect(text).toContain('https://hopthu.example/v1/requests/req-1');
    expect(text).toContain('credentialUrl');
    expect(text).toContain('các mục 1.');
    expect(text.toLowerCase()).not.toMatch(/mật khẩu:\s*\S/);
  });

  it('when no item has a credential, then there is no credential section', () => {
    const f = buildFinished({ items: buildFinished().items.slice(1) });
    expect(composeResultMail(f, agency).text).not.toContain('Cách nhận thông tin đăng nhập');
  });

  it('when composed, then subject and text are NFC', () => {
    const mail = composeResultMail(buildFinished(), agency);
    expect(mail.text).toBe(mail.text.normalize('NFC'));
    expect(mail.subject).toBe(mail.subject.normalize('NFC'));
  });

  it('when it is the copy for the Sở TTTT, then it says whose result it is', () => {
    const { text } = composeResultMail(
      buildFinished(),
      { name: 'UBND xã Tân Dĩnh', officialMailbox: 'tandinh@bacninh.gov.vn' },
      {
        copyFor: 'Sở Thông tin và Truyền thông',
      },
    );
    expect(text).toContain('Kính gửi: Sở Thông tin và Truyền thông');
    expect(text).toContain('bản sao thư thông báo kết quả gửi UBND xã Tân Dĩnh (tandinh@bacninh.gov.vn)');
  });

  it('when the deadline is 24:00 (next-day 00:00+07:00), then it reads 24:00 of the due day', () => {
    expect(formatVnTime('2026-11-24T17:00:00.000Z', { midnightAs24: true })).toBe('24:00 24/11/2026');
    expect(formatVnTime('2026-11-20T02:15:00.000Z')).toBe('09:15 20/11/2026');
  });
});

describe('composeResultPayload', () => {
  it('when composed, then it carries every item outcome without anything secret', () => {
    const p = composeResultPayload(buildFinished());
    expect(p.type).toBe('request.finished');
    expect(p.data.items).toHaveLength(3);
    expect(p.data.items[0]).toMatchObject({
      address: 'tvanh.stttt@bacninh.gov.vn',
      status: 'completed',
      hasCredential: true,
    });
    expect(JSON.stringify(p)).not.toMatch(/"(password|passwordHash)"\s*:/i);
  });
});
