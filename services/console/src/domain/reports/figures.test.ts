import { addDays, computeDeadline } from '@hopthu/calendar';
import { describe, expect, it } from 'vitest';
import { annualReportRows, total, usageRows } from './annual-report.ts';
import { barChartSvg, niceMaximum } from './bar-chart.ts';
import {
  formatShare,
  type RequestTimes,
  requestsPerDay,
  resultTimes,
  slaByAgency,
  slaFigures,
  slaOutcome,
} from './figures.ts';

// Received Wed 02/12/2026 10:00 Vietnam; 2 working days: due at 24:00 Fri 04/12 (the requests
// service's dueAt, which the console judges by and never recomputes).
const req = (over: Partial<RequestTimes>): RequestTimes => ({
  id: 'r',
  agencyId: 'a',
  province: 'bac-ninh',
  status: 'completed',
  receivedAt: '2026-12-02T03:00:00Z',
  dueAt: '2026-12-04T17:00:00Z',
  finishedAt: null,
  ...over,
});
describe('SLA compliance with working days', () => {
  it('counts a request finished on the last working day as on time, the next day as late', () => {
    expect(slaOutcome(req({ finishedAt: '2026-12-04T16:59:00Z' }), '2026-12-10')).toBe('on_time');
    expect(slaOutcome(req({ finishedAt: '2026-12-04T17:00:00Z' }), '2026-12-10')).toBe('late');
  });

  it('does not count the weekend: received Friday, answered Tuesday is on time with 2 working days', () => {
    const friday = req({
      receivedAt: '2026-12-04T02:00:00Z',
      dueAt: '2026-12-08T17:00:00Z', // 24:00 Tue 08/12
      finishedAt: '2026-12-08T09:00:00Z',
    });
    expect(slaOutcome(friday, '2026-12-10')).toBe('on_time');
    expect(slaOutcome({ ...friday, finishedAt: '2026-12-09T02:00:00Z' }, '2026-12-10')).toBe('late');
  });

  it('counts an open request past its last working day as late, one not yet due as pending', () => {
    expect(slaOutcome(req({}), '2026-12-04')).toBe('pending');
    expect(slaOutcome(req({}), '2026-12-05')).toBe('late');
  });

  it('judges by the deadline the requests service set, whatever the province (SLA_WORKING_DAYS too)', () => {
    // the same request under a 3-working-day rule (a province without a policy, SLA_WORKING_DAYS=3)
    const late = req({ finishedAt: '2026-12-07T02:00:00Z' });
    expect(slaOutcome(late, '2026-12-10')).toBe('late');
    const threeDays = { ...late, province: 'no-policy', dueAt: '2026-12-07T17:00:00Z' };
    expect(slaOutcome(threeDays, '2026-12-10')).toBe('on_time');
    expect(slaOutcome({ ...threeDays, finishedAt: null }, '2026-12-07')).toBe('pending');
    expect(slaOutcome({ ...threeDays, finishedAt: null }, '2026-12-08')).toBe('late');
  });

  it('agrees with computeDeadline for the working days of each rule', () => {
    for (const days of [1, 2, 3, 5]) {
      const received = new Date('2026-12-02T03:00:00Z');
      const { dueAt, dueDate } = computeDeadline(received, days);
      const r = req({ receivedAt: received.toISOString(), dueAt: dueAt.toISOString() });
      expect(slaOutcome(r, dueDate)).toBe('pending');
      expect(slaOutcome(r, addDays(dueDate, 1))).toBe('late');
      expect(slaOutcome({ ...r, finishedAt: new Date(dueAt.getTime() - 1).toISOString() }, dueDate)).toBe(
        'on_time',
      );
    }
  });

  it('gives the share of on-time answers among the counted ones, per agency too', () => {
    const list = [
      req({ id: '1', finishedAt: '2026-12-02T05:00:00Z' }),
      req({ id: '2', finishedAt: '2026-12-03T05:00:00Z' }),
      req({ id: '3', finishedAt: '2026-12-08T05:00:00Z', agencyId: 'b' }),
      req({ id: '4', receivedAt: '2026-12-09T02:00:00Z', dueAt: '2026-12-11T17:00:00Z' }),
    ];
    expect(slaFigures(list, '2026-12-09')).toEqual({
      counted: 3,
      onTime: 2,
      late: 1,
      pending: 1,
      share: 2 / 3,
    });
    const per = slaByAgency(list, '2026-12-09');
    expect(per.get('a')).toMatchObject({ received: 3, onTime: 2, late: 0, pending: 1, share: 1 });
    expect(per.get('b')).toMatchObject({ received: 1, onTime: 0, late: 1, share: 0 });
    expect(slaFigures([], '2026-12-09').share).toBeNull();
  });
});

describe('requests per day and time to result', () => {
  it('lists every day of the period in Vietnam time, empty days as 0', () => {
    const list = [
      req({ receivedAt: '2026-12-01T16:59:00Z' }), // 23:59 on 01/12 in Vietnam
      req({ receivedAt: '2026-12-01T17:00:00Z' }), // 00:00 on 02/12
      req({ receivedAt: '2026-12-02T09:00:00Z' }),
    ];
    expect(requestsPerDay(list, '2026-11-30', '2026-12-03')).toEqual([
      { day: '2026-11-30', count: 0 },
      { day: '2026-12-01', count: 1 },
      { day: '2026-12-02', count: 2 },
      { day: '2026-12-03', count: 0 },
    ]);
  });

  it('buckets finished requests by working days from receipt to result', () => {
    const counts = resultTimes([
      req({ finishedAt: '2026-12-02T08:00:00Z' }),
      req({ finishedAt: '2026-12-03T08:00:00Z' }),
      req({ finishedAt: '2026-12-07T08:00:00Z' }), // Thu, Fri, Mon: 3
      req({ finishedAt: '2026-12-21T08:00:00Z' }),
      req({}),
    ]);
    expect(counts.map((c) => c.count)).toEqual([1, 1, 0, 1, 1]);
  });

  it('writes shares the Vietnamese way', () => {
    expect(formatShare(2 / 3)).toBe('66,7 %');
    expect(formatShare(1)).toBe('100 %');
    expect(formatShare(null)).toBe('—');
  });
});

describe('the reports rows', () => {
  const agency = {
    agencyId: 'x',
    name: 'Sở Nội vụ',
    abbreviation: 'snv',
    province: 'bac-ninh',
    parentId: null,
    byState: { active: 5, locked: 1, suspended: 1, deleted: 2 },
    people: 8,
    staffWithMailbox: 6,
    regularUsers: 3,
    publishedEntries: 5,
    agencyMailboxActive: true,
    createdInPeriod: 4,
    deletedInPeriod: 2,
  };

  it('gives Phụ lục 1 per agency: staff with a mailbox, share used regularly, directory published', () => {
    expect(annualReportRows([agency, { ...agency, agencyId: 'y', publishedEntries: 0, people: 0 }])).toEqual([
      expect.objectContaining({
        staff: 8,
        staffWithMailbox: 6,
        mailboxShare: 0.75,
        regularUsers: 3,
        regularShare: 0.5,
        directoryPublished: 'Có (5 địa chỉ)',
      }),
      expect.objectContaining({ mailboxShare: null, directoryPublished: 'Chưa công khai' }),
    ]);
  });

  it('gives the usage statistics per agency and their totals', () => {
    const rows = usageRows([agency, agency]);
    expect(rows[0]).toMatchObject({
      active: 5,
      suspendedOrLocked: 2,
      deleted: 2,
      created: 4,
      agencyMailbox: 'Có',
    });
    expect(total(rows, (r) => r.active)).toBe(10);
  });
});

describe('the SVG bar chart', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 12, 180, 501].map(niceMaximum)).toEqual([1, 1, 5, 10, 20, 200, 1000]);
  });

  it('draws one bar per value, heights in proportion, labels escaped', () => {
    const svg = barChartSvg({
      title: 'Yêu cầu <mỗi ngày>',
      bars: [
        { label: '01/12', value: 10 },
        { label: '<b>', value: 5 },
      ],
      height: 220,
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('aria-label="Yêu cầu &lt;mỗi ngày&gt;"');
    expect(svg).not.toContain('<b>');
    const heights = [...svg.matchAll(/<rect class="bar"[^>]* height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(2);
    expect(heights[0]).toBeCloseTo(heights[1]! * 2, 0);
  });

  it('labels every n-th bar and the last when there are many', () => {
    const bars = Array.from({ length: 30 }, (_, i) => ({ label: `d${i}`, value: i }));
    const svg = barChartSvg({ title: 't', bars, labelEvery: 7 });
    const labels = [...svg.matchAll(/>(d\d+)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['d0', 'd7', 'd14', 'd21', 'd28', 'd29']);
  });
});
