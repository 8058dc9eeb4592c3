import { describe, expect, it } from 'vitest';
import { describeAuditDetails, describeAuditTarget } from './audit-text.ts';

describe('describeAuditDetails', () => {
  it('when an approval is recorded, then each detail reads in Vietnamese', () => {
    expect(
      describeAuditDetails({ reason: 'Đã xác minh', result: 'approval_recorded', approvals: ['canbo.an'] }),
    ).toEqual(['Lý do: Đã xác minh', 'Kết quả: đã ghi nhận, chờ cán bộ khác', 'Đã phê duyệt: canbo.an']);
  });
  it('when a login fails, then the reason is named, not coded', () => {
    expect(describeAuditDetails({ reason: 'invalid_credentials' })).toEqual(['Lý do: sai tên hoặc mật khẩu']);
  });
  it('when a detail is unknown, then it is still shown as it is', () => {
    expect(describeAuditDetails({ extra: 3, nested: { a: 1 } })).toEqual(['extra: 3', 'nested: {"a":1}']);
  });
});

describe('describeAuditTarget', () => {
  it('when the target is a request item, then it is a short id linking to the request', () => {
    const r = '0b8f6f2e-7a52-4c7e-9a55-4f1f2d3c4b5a';
    const i = '1c9e7e3f-8b63-4d8f-8b66-5e2e3e4d5c6b';
    expect(describeAuditTarget(`${r}/${i}`)).toEqual({
      text: 'Yêu cầu 0b8f6f2e…',
      href: `/requests/${r}#item-${i}`,
    });
  });
  it('when the target is a user name or nothing, then it is shown as it is', () => {
    expect(describeAuditTarget('canbo.an')).toEqual({ text: 'canbo.an' });
    expect(describeAuditTarget(null)).toEqual({ text: '—' });
  });
});
