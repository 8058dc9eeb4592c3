import { describe, expect, it } from 'vitest';
import { composeWarningMail } from './compose-warning.ts';

describe('composeWarningMail', () => {
  it('when a deadline is breached, then the operators read it in Vietnamese with the due time', () => {
    const mail = composeWarningMail({
      requestId: 'r1',
      kind: 'breach',
      agencyId: 'a1',
      agencyName: 'UBND xã Tân Dĩnh',
      reference: { number: '12/UBND', date: '2026-11-20' },
      receivedAt: '2026-11-20T02:00:00.000Z',
      dueAt: '2026-11-24T17:00:00.000Z',
    });
    expect(mail.subject).toBe('[hopthu] Cảnh báo: yêu cầu số 12/UBND ĐÃ QUÁ HẠN xử lý');
    expect(mail.text).toContain('Hạn xử lý: 24:00 24/11/2026');
    expect(mail.text).toContain('Cơ quan: UBND xã Tân Dĩnh');
  });
});
