import { getPolicy, listPolicies } from '@hopthu/naming';
import { describe, expect, it } from 'vitest';
import { checkMaintenanceWindow } from './maintenance-window.ts';

const vn = (local: string) => new Date(`${local}+07:00`);
const bacNinh = [getPolicy('bac-ninh')];
// Thursday 3 December 2026, 10:00 in Vietnam
const now = vn('2026-12-03T10:00:00');

describe('planned downtime (Bắc Ninh Điều 10 khoản 2 điểm b)', () => {
  it('a Saturday window with 6 working days of notice is accepted', () => {
    expect(
      checkMaintenanceWindow(
        bacNinh,
        { startsAt: vn('2026-12-12T22:00:00'), endsAt: vn('2026-12-13T04:00:00') },
        now,
      ),
    ).toEqual([]);
  });

  it('a weekday window is refused, naming the rule and the weekday', () => {
    const problems = checkMaintenanceWindow(
      bacNinh,
      { startsAt: vn('2026-12-14T22:00:00'), endsAt: vn('2026-12-14T23:00:00') },
      now,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: '/startsAt' });
    expect(problems[0]?.en).toContain('Bắc Ninh, Điều 10 khoản 2 điểm b');
    expect(problems[0]?.vi).toContain('2026-12-14');
  });

  it('a weekend window that runs into Monday is refused at its end; one ending at 00:00 Monday is not', () => {
    const late = checkMaintenanceWindow(
      bacNinh,
      { startsAt: vn('2026-12-12T20:00:00'), endsAt: vn('2026-12-14T02:00:00') },
      now,
    );
    expect(late.map((p) => p.field)).toEqual(['/endsAt']);
    expect(
      checkMaintenanceWindow(
        bacNinh,
        { startsAt: vn('2026-12-12T20:00:00'), endsAt: vn('2026-12-14T00:00:00') },
        now,
      ),
    ).toEqual([]);
  });

  it('the Saturday after a Thursday has 1 working day of notice: refused; a Wednesday notice gives 2: accepted', () => {
    const short = checkMaintenanceWindow(
      bacNinh,
      { startsAt: vn('2026-12-05T22:00:00'), endsAt: vn('2026-12-05T23:00:00') },
      now,
    );
    expect(short.map((p) => p.field)).toEqual(['/startsAt']);
    expect(short[0]?.en).toContain('2 working days');
    expect(
      checkMaintenanceWindow(
        bacNinh,
        { startsAt: vn('2026-12-05T22:00:00'), endsAt: vn('2026-12-05T23:00:00') },
        vn('2026-12-02T10:00:00'),
      ),
    ).toEqual([]);
  });

  it('provinces without a rule set no limit; an end before the start or a start in the past is refused everywhere', () => {
    const others = listPolicies().filter((p) => p.id !== 'bac-ninh');
    expect(
      checkMaintenanceWindow(
        others,
        { startsAt: vn('2026-12-03T11:00:00'), endsAt: vn('2026-12-03T12:00:00') },
        now,
      ),
    ).toEqual([]);
    expect(
      checkMaintenanceWindow(
        others,
        { startsAt: vn('2026-12-03T12:00:00'), endsAt: vn('2026-12-03T11:00:00') },
        now,
      )[0]?.field,
    ).toBe('/endsAt');
    expect(
      checkMaintenanceWindow(
        others,
        { startsAt: vn('2026-12-03T09:00:00'), endsAt: vn('2026-12-03T11:00:00') },
        now,
      )[0]?.field,
    ).toBe('/startsAt');
  });
});
