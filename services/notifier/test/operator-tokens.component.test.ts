// The notifier's admin API with the static token switched off (ADMIN_TOKEN unset, issue 14), in
// process on a scratch database: the static token and an X-Operator header are refused, the
// console's operator token is accepted, and planned maintenance is recorded against the operator
// the token names; a different name in the body or an X-Operator header is refused (403).
import { randomUUID } from 'node:crypto';
import { addDays, addWorkingDays, dayOfWeek, toLocalDate } from '@hopthu/calendar';
import { newId, systemClock } from '@hopthu/shared/clock';
import {
  adminGuardAnswers,
  serviceDatabaseUrl,
  type TestOperators,
  trustTestOperators,
} from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { createScratchDatabase, logger } from './helpers.ts';

const mail = { from: 'no-reply@bacninh.gov.vn', fromName: 'hopthu', operatorsMailbox: 'noc@bacninh.gov.vn' };

/** A Saturday night window far enough ahead for Bắc Ninh's notice rule (Điều 10 khoản 2 điểm b). */
function weekendWindow() {
  let day = addWorkingDays(toLocalDate(new Date()), 3);
  while (dayOfWeek(day) !== 6) day = addDays(day, 1);
  return { startsAt: `${day}T22:00:00+07:00`, endsAt: `${day}T23:30:00+07:00` };
}

describe('notifier admin API without ADMIN_TOKEN', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let app: ReturnType<typeof buildApp>;
  let operators: TestOperators;
  const agencyId = `optoken-${randomUUID()}`;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    await scratch.db
      .insertInto('agencies')
      .values({
        agency_id: agencyId,
        province: 'bac-ninh',
        domain: 'bacninh.gov.vn',
        name: 'Sở Thử nghiệm',
        abbreviation: 'stn',
        official_mailbox: 'stn@bacninh.gov.vn',
      })
      .execute();
    operators = trustTestOperators();
    app = buildApp({
      db: scratch.db,
      logger,
      clock: systemClock,
      adminToken: undefined,
      maintenance: { newId, mail },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await scratch?.drop();
  });

  it('when ADMIN_TOKEN is unset, then the notifier starts from a configuration without it', () => {
    const env = { ...process.env, DATABASE_URL: serviceDatabaseUrl('notifier'), ADMIN_TOKEN: undefined };
    expect(readConfig(env).ADMIN_TOKEN).toBeUndefined();
  });

  it('when the static token or an X-Operator header reads the SLA board, then 401; an operator token reads it', async () => {
    expect(await adminGuardAnswers(app, operators, { method: 'GET', url: '/admin/deadlines' })).toEqual({
      staticToken: 401,
      operatorHeader: 401,
      operatorToken: 200,
    });
  });

  it('when an operator token schedules maintenance, then the notice carries its operator; another name is 403 and sends nothing', async () => {
    const body = { ...weekendWindow(), reason: 'Nâng cấp máy chủ', provinces: ['bac-ninh'] };
    const schedule = async (headers: Record<string, string>, extra: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url: '/admin/maintenance', headers, payload: { ...body, ...extra } });
    const asAn = await operators.bearer('op.an', 'operator');

    const forgedBody = await schedule({ authorization: asAn }, { operator: 'op.binh' });
    expect(forgedBody.statusCode).toBe(403);
    expect(forgedBody.json()).toMatchObject({ errors: [{ field: '/operator' }] });
    expect((await schedule({ authorization: asAn, 'x-operator': 'op.binh' })).statusCode).toBe(403);
    expect((await schedule({ 'x-operator': 'op.binh' }, { operator: 'op.binh' })).statusCode).toBe(401);
    const notices = () =>
      scratch.db
        .selectFrom('deliveries')
        .select('payload')
        .where('purpose', '=', 'planned_maintenance')
        .where('agency_id', '=', agencyId)
        .execute();
    expect(await notices()).toEqual([]);

    const accepted = await schedule({ authorization: asAn });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({ recipients: 1 });
    const sent = await notices();
    expect(sent.map((d) => (d.payload as { operator?: string }).operator)).toEqual(['op.an']);
  });
});
