import { getPolicy } from '@hopthu/naming';
import { describe, expect, it } from 'vitest';
import { issuedBeforeBound, judgeDefaultPassword } from './default-password-lock.ts';

const vn = (local: string) => new Date(`${local}+07:00`);
const kg = getPolicy('kien-giang');

describe("Kiên Giang's default-password lock (Điều 10 khoản 3)", () => {
  it('when the issued password is unchanged, then the mailbox is locked from 24:00 of the 5th working day on', () => {
    // issued Monday 23/11/2026: Tue..Mon = 24, 25, 26, 27 (Fri), 30 (Mon) → locked from 01/12 00:00
    const password = { issuedAt: vn('2026-11-23T10:00:00'), changedAt: null };
    expect(judgeDefaultPassword(kg, password, vn('2026-11-30T23:59:59'))).toBeNull();
    expect(judgeDefaultPassword(kg, password, vn('2026-12-01T00:00:00'))).toEqual({
      workingDays: 5,
      article: 'Điều 10 khoản 3',
      dueAt: vn('2026-12-01T00:00:00'),
    });
  });

  it('when the password was issued on a Friday, then the weekend does not count', () => {
    const password = { issuedAt: vn('2026-11-27T16:00:00'), changedAt: null };
    // Mon 30/11, Tue 1, Wed 2, Thu 3, Fri 4/12 → due 24:00 Friday 04/12
    expect(judgeDefaultPassword(kg, password, vn('2026-12-04T20:00:00'))).toBeNull();
    expect(judgeDefaultPassword(kg, password, vn('2026-12-05T00:00:00'))?.dueAt).toEqual(
      vn('2026-12-05T00:00:00'),
    );
  });

  it('when the holder changed the password after it was issued, then nothing happens', () => {
    const password = { issuedAt: vn('2026-11-23T10:00:00'), changedAt: vn('2026-11-24T08:00:00') };
    expect(judgeDefaultPassword(kg, password, vn('2027-01-01T00:00:00'))).toBeNull();
  });

  it('when a new password was issued after the holder last changed one (a reset), then the period runs again', () => {
    const password = { issuedAt: vn('2026-11-23T10:00:00'), changedAt: vn('2026-11-20T08:00:00') };
    expect(judgeDefaultPassword(kg, password, vn('2026-12-01T00:00:00'))).not.toBeNull();
  });

  it('the other provinces have no such lock', () => {
    for (const id of ['thanh-hoa', 'dak-nong', 'bac-ninh', 'khanh-hoa']) {
      const password = { issuedAt: vn('2020-01-01T00:00:00'), changedAt: null };
      expect(judgeDefaultPassword(getPolicy(id), password, vn('2026-12-01T00:00:00'))).toBeNull();
      expect(issuedBeforeBound(getPolicy(id), vn('2026-12-01T00:00:00'))).toBeNull();
    }
  });

  it('the query bound never leaves out a mailbox the judge would lock', () => {
    const now = vn('2026-12-01T00:00:00');
    const bound = issuedBeforeBound(kg, now) as Date;
    expect(judgeDefaultPassword(kg, { issuedAt: bound, changedAt: null }, now)).toBeNull();
    expect(bound.getTime()).toBeLessThanOrEqual(vn('2026-11-23T10:00:00').getTime() + 8 * 24 * 3600 * 1000);
  });
});
