import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCalendarMonths,
  inactivityDueAt,
  inactivityQueryBound,
  judgeInactivity,
  lastUse,
} from './inactivity.ts';
import type { InactivityRule } from './policies/policy-types.ts';
import { getPolicy, listPolicies } from './policies/registry.ts';

// Instants written in Vietnam time, as an operator reads them.
const vn = (local: string) => new Date(`${local}+07:00`);

describe('inactivity rules of the provinces (regulations §6)', () => {
  it('Bắc Ninh locks, Đắk Nông and Kiên Giang reclaim (Kiên Giang keeping it for a reissue), after 6 months; Thanh Hóa and Khánh Hòa have no rule', () => {
    const rules = Object.fromEntries(listPolicies().map((p) => [p.id, p.inactivity ?? null]));
    expect(rules).toEqual({
      'thanh-hoa': null,
      'dak-nong': {
        months: 6,
        action: 'reclaim',
        article: 'Điều 7 khoản 3',
        counts: ['login', 'send', 'receive'],
      },
      'bac-ninh': {
        months: 6,
        action: 'lock',
        article: 'Điều 4 khoản 2 điểm c',
        counts: ['login', 'send', 'receive'],
      },
      'khanh-hoa': null,
      'kien-giang': {
        months: 6,
        action: 'reclaim',
        article: 'Điều 5 khoản 4',
        counts: ['login', 'send'],
        reissue: { article: 'Điều 5 khoản 4' },
      },
    });
  });
});

describe('addCalendarMonths', () => {
  it('when the day exists in the target month, then it keeps the day and the time of day', () => {
    expect(addCalendarMonths(vn('2026-01-15T09:30:00'), 6)).toEqual(vn('2026-07-15T09:30:00'));
  });

  it('when the target month is shorter, then the day becomes its last day (31 Aug + 6 → 28 Feb, 29 in a leap year)', () => {
    expect(addCalendarMonths(vn('2026-08-31T10:00:00'), 6)).toEqual(vn('2027-02-28T10:00:00'));
    expect(addCalendarMonths(vn('2027-08-31T10:00:00'), 6)).toEqual(vn('2028-02-29T10:00:00'));
    expect(addCalendarMonths(vn('2026-12-31T08:00:00'), 6)).toEqual(vn('2027-06-30T08:00:00'));
  });

  it('when the source is the end of a short month, then the result is the same day number, not the month end', () => {
    expect(addCalendarMonths(vn('2026-02-28T12:00:00'), 6)).toEqual(vn('2026-08-28T12:00:00'));
  });

  it('when the Vietnamese date differs from the UTC date, then the Vietnamese calendar counts', () => {
    // 31 Aug 2026 01:00 in Hà Nội is still 30 Aug in UTC; the month end is the Vietnamese one.
    expect(addCalendarMonths(vn('2026-08-31T01:00:00'), 6)).toEqual(vn('2027-02-28T01:00:00'));
  });

  it('when the months cross a year, or go back, then the year follows', () => {
    expect(addCalendarMonths(vn('2026-10-10T00:00:00'), 6)).toEqual(vn('2027-04-10T00:00:00'));
    expect(addCalendarMonths(vn('2027-04-10T00:00:00'), -6)).toEqual(vn('2026-10-10T00:00:00'));
  });
});

describe('judgeInactivity', () => {
  const bacNinh = getPolicy('bac-ninh');

  it('when 6 calendar months have not yet passed, then nothing happens; at the same instant 6 months later, the rule applies', () => {
    const since = vn('2026-03-31T15:00:00');
    expect(judgeInactivity(bacNinh, since, vn('2026-09-30T14:59:59'))).toBeNull();
    expect(judgeInactivity(bacNinh, since, vn('2026-09-30T15:00:00'))).toEqual({
      action: 'lock',
      article: 'Điều 4 khoản 2 điểm c',
      months: 6,
      dueAt: vn('2026-09-30T15:00:00'),
    });
  });

  it('when the province has no rule, then nothing happens however old the last use', () => {
    expect(
      judgeInactivity(getPolicy('thanh-hoa'), vn('2000-01-01T00:00:00'), vn('2026-01-01T00:00:00')),
    ).toBeNull();
    expect(
      judgeInactivity(getPolicy('khanh-hoa'), vn('2000-01-01T00:00:00'), vn('2026-01-01T00:00:00')),
    ).toBeNull();
  });

  it('when a reclaiming province’s period ran out, then the verdict is reclaim with its article', () => {
    const verdict = judgeInactivity(
      getPolicy('kien-giang'),
      vn('2026-01-01T00:00:00'),
      vn('2026-08-01T00:00:00'),
    );
    expect(verdict).toMatchObject({ action: 'reclaim', article: 'Điều 5 khoản 4' });
  });
});

describe('inactivityQueryBound', () => {
  const rule = { months: 6, action: 'lock', article: 'x' } as const;

  it('on 28 February the last days of August are within the bound (they are due that day)', () => {
    const now = vn('2027-02-28T10:00:00');
    expect(inactivityDueAt(rule, vn('2026-08-31T10:00:00'))).toEqual(now);
    expect(inactivityQueryBound(rule, now).getTime()).toBeGreaterThanOrEqual(
      vn('2026-08-31T10:00:00').getTime(),
    );
  });

  it('every mailbox the rule judges due lies within the bound (property)', () => {
    const instant = fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 400 * 24 }), (since, hours) => {
        const now = new Date(since.getTime() + hours * 3600 * 1000);
        if (judgeInactivity({ inactivity: rule }, since, now) === null) return true;
        return since.getTime() <= inactivityQueryBound(rule, now).getTime();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('lastUse (what counts as use, by province)', () => {
  const login = new Date('2026-01-10T03:00:00Z');
  const sent = new Date('2026-03-01T03:00:00Z');
  const received = new Date('2026-05-20T03:00:00Z');
  const use = { lastLoginAt: login, lastSentAt: sent, lastReceivedAt: received };

  it('Bắc Ninh counts sending and receiving (Điều 4 khoản 2 điểm c): the last delivery is the last use', () => {
    const rule = getPolicy('bac-ninh').inactivity;
    expect(rule?.counts).toEqual(['login', 'send', 'receive']);
    expect(lastUse(rule, use)).toEqual(received);
    expect(lastUse(rule, { lastLoginAt: null, lastSentAt: null, lastReceivedAt: received })).toEqual(
      received,
    );
  });

  it('Kiên Giang counts access (Điều 5 khoản 4): a login or a message sent, not mail delivered', () => {
    const rule = getPolicy('kien-giang').inactivity;
    expect(lastUse(rule, use)).toEqual(sent);
    expect(lastUse(rule, { lastLoginAt: null, lastSentAt: null, lastReceivedAt: received })).toBeNull();
  });

  it('a rule that does not say counts logins only; a province without a rule counts every kind', () => {
    const silent: InactivityRule = { months: 6, action: 'lock', article: 'x' };
    expect(lastUse(silent, use)).toEqual(login);
    expect(lastUse({}, { ...use, lastLoginAt: null })).toBeNull();
    expect(lastUse(getPolicy('thanh-hoa').inactivity, use)).toEqual(received);
  });
});
