import { getPolicy } from '@hopthu/naming';
import { describe, expect, it } from 'vitest';
import { judgeFiling } from './filing-deadline.ts';

// 09:00 in Vietnam on that day
const vn = (day: string) => new Date(`${day}T09:00:00+07:00`);

describe('judgeFiling (Thanh Hóa Điều 15 khoản 3, Khánh Hòa Điều 14 khoản 4)', () => {
  const thanhHoa = getPolicy('thanh-hoa').filingDeadline;

  it('a change filed on the 10th day after the decision took effect is in time; on the 11th it is late, with the article', () => {
    expect(judgeFiling(thanhHoa, '2026-11-01', vn('2026-11-11'))).toBeNull();
    expect(judgeFiling(thanhHoa, '2026-11-01', vn('2026-11-12'))).toEqual({
      daysAfterDecision: 11,
      limitDays: 10,
      dayKind: 'calendar',
      article: 'Điều 15 khoản 3',
    });
    expect(judgeFiling(getPolicy('khanh-hoa').filingDeadline, '2026-11-01', vn('2026-11-30'))).toMatchObject({
      daysAfterDecision: 29,
      article: 'Điều 14 khoản 4',
    });
  });

  it('the day counts on Vietnam time: 17:30 UTC is already the next day there', () => {
    expect(judgeFiling(thanhHoa, '2026-11-01', new Date('2026-11-11T16:30:00Z'))).toBeNull();
    expect(judgeFiling(thanhHoa, '2026-11-01', new Date('2026-11-11T17:30:00Z'))?.daysAfterDecision).toBe(11);
  });

  it('no deadline in the province (Bắc Ninh), or no decision named: never late', () => {
    expect(judgeFiling(getPolicy('bac-ninh').filingDeadline, '2020-01-01', vn('2026-11-12'))).toBeNull();
    expect(judgeFiling(thanhHoa, undefined, vn('2026-11-12'))).toBeNull();
  });

  it('a rule in working days skips the weekend: Friday 6 Nov to Monday 23 Nov 2026 is 11 working days', () => {
    const rule = { days: 10, dayKind: 'working', article: 'x' } as const;
    expect(judgeFiling(rule, '2026-11-06', vn('2026-11-20'))).toBeNull();
    expect(judgeFiling(rule, '2026-11-06', vn('2026-11-23'))?.daysAfterDecision).toBe(11);
  });
});
