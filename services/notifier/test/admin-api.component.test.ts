// The notifier's admin API in process: buildApp(deps) on a scratch database of its own, called with
// Fastify's inject (no port, no running service), and the timer sweep run with a manual clock. What
// an operator's tools (and the console) see: the deadline, its timers, the warning once it fired.
import { randomUUID } from 'node:crypto';
import { createManualClock, type EventData, newId } from '@hopthu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { fireDueTimers } from '../src/domain/deadlines/fire-due-timers.ts';
import { scheduleDeadline } from '../src/domain/deadlines/schedule-deadline.ts';
import { createScratchDatabase, logger } from './helpers.ts';

const adminToken = `component-${randomUUID()}`;
const auth = { authorization: `Bearer ${adminToken}` };
const mail = { from: 'no-reply@bacninh.gov.vn', fromName: 'hopthu', operatorsMailbox: 'noc@bacninh.gov.vn' };

function buildSubmitted(): EventData<'vn.gov.hopthu.request.submitted.v1'> {
  return {
    requestId: randomUUID(),
    agencyId: `component-agency-${randomUUID()}`,
    province: 'bac-ninh',
    // Monday 09:00+07, due 24:00 Tuesday: half the time is gone on Tuesday 04:30+07, outside office
    // hours, so the half-time warning comes at the last office hour before it, Monday 16:00+07
    receivedAt: '2030-11-25T02:00:00.000Z',
    dueAt: '2030-11-26T17:00:00.000Z',
    reference: { number: `${Math.floor(Math.random() * 100_000)}/UBND-VP`, date: '2030-11-25' },
    itemCount: 1,
  };
}

describe('notifier admin API (in process)', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let app: ReturnType<typeof buildApp>;
  const clock = createManualClock(new Date('2030-11-25T02:00:00.000Z'));

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    app = buildApp({ db: scratch.db, logger, clock, adminToken, readiness: async () => {} });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await scratch?.drop();
  });

  it('when the admin token is missing, then the deadline is refused with 401 problem+json', async () => {
    const res = await app.inject({ method: 'GET', url: `/admin/deadlines/${randomUUID()}` });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('when a request is scheduled and its half time passes, then its timers and the one warning show', async () => {
    const submitted = buildSubmitted();
    await scratch.db.transaction().execute((trx) => scheduleDeadline({ db: trx }, submitted));

    const before = await app.inject({
      method: 'GET',
      url: `/admin/deadlines/${submitted.requestId}`,
      headers: auth,
    });
    expect(before.statusCode).toBe(200);
    const timers = (before.json() as { timers: { kind: string; firedAt: string | null }[] }).timers;
    expect(timers.map((t) => t.kind).sort()).toEqual(['breach', 'due_day_morning', 'half_time']);
    expect(timers.every((t) => t.firedAt === null)).toBe(true);

    const warningsNow = async () =>
      (
        (
          await app.inject({
            method: 'GET',
            url: `/admin/warnings?requestId=${submitted.requestId}`,
            headers: auth,
          })
        ).json() as { warnings: { kind: string }[] }
      ).warnings.map((w) => w.kind);
    clock.set(new Date('2030-11-25T08:59:59.000Z')); // just before Monday 16:00+07
    await fireDueTimers({ db: scratch.db, clock, newId, logger, mail });
    expect(await warningsNow()).toEqual([]);

    clock.set(new Date('2030-11-25T09:00:01.000Z')); // just past it
    await fireDueTimers({ db: scratch.db, clock, newId, logger, mail });

    const warnings = await app.inject({
      method: 'GET',
      url: `/admin/warnings?requestId=${submitted.requestId}`,
      headers: auth,
    });
    expect(warnings.statusCode).toBe(200);
    expect((warnings.json() as { warnings: { kind: string }[] }).warnings.map((w) => w.kind)).toEqual([
      'half_time',
    ]);
  });

  it('when the request is unknown, then 404', async () => {
    const res = await app.inject({ method: 'GET', url: `/admin/deadlines/${randomUUID()}`, headers: auth });
    expect(res.statusCode).toBe(404);
  });
});
