// GET /admin/deadlines?state=open on the running notifier: the SLA board's list of deadlines of
// requests not finished yet, earliest due first, with whether the calendar was confirmed and the
// warnings fired so far; a finished request leaves the list.
import { randomUUID } from 'node:crypto';
import { buildEvent, type EventData, Topics } from '@hopthu/shared/events';
import { waitFor } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDeadlineView } from '../src/db/deadline-repository.ts';
import { admin, createPublisher, ensureNotifier, halfTimePassed, type NotifierProcess } from './helpers.ts';

type Submitted = EventData<'vn.gov.hopthu.request.submitted.v1'>;

const HOUR = 3600_000;

function buildSubmitted(receivedAt: Date, dueAt: Date, overrides: Partial<Submitted> = {}): Submitted {
  return {
    requestId: randomUUID(),
    agencyId: `nt-agency-${randomUUID()}`,
    province: 'bac-ninh',
    receivedAt: receivedAt.toISOString(),
    dueAt: dueAt.toISOString(),
    reference: { number: `${Math.floor(Math.random() * 100_000)}/UBND-VP`, date: '2026-11-22' },
    itemCount: 1,
    ...overrides,
  };
}

let notifier: NotifierProcess;
let publisher: Awaited<ReturnType<typeof createPublisher>>;
const call = () => admin(notifier.url);

beforeAll(async () => {
  notifier = await ensureNotifier();
  publisher = await createPublisher();
});
afterAll(async () => {
  await publisher?.close();
  await notifier?.stop();
});

const publishSubmitted = (s: Submitted) =>
  publisher.publish(
    Topics.requests,
    s.requestId,
    buildEvent('vn.gov.hopthu.request.submitted.v1', s, { source: 'notifier-test', subject: s.requestId }),
  );

const publishFinished = (s: Submitted) =>
  publisher.publish(
    Topics.requests,
    s.requestId,
    buildEvent(
      'vn.gov.hopthu.request.finished.v1',
      {
        requestId: s.requestId,
        agencyId: s.agencyId,
        province: s.province,
        status: 'completed',
        receivedAt: s.receivedAt,
        dueAt: s.dueAt,
        finishedAt: new Date().toISOString(),
        reference: s.reference,
        requestUrl: `http://127.0.0.1:3001/v1/requests/${s.requestId}`,
        items: [],
      },
      { source: 'notifier-test', subject: s.requestId },
    ),
  );

async function openDeadlines(): Promise<OpenDeadlineView[]> {
  const res = await call()<{ deadlines: OpenDeadlineView[] }>('GET', '/admin/deadlines?state=open&limit=500');
  expect(res.status).toBe(200);
  return res.body.deadlines;
}

describe('GET /admin/deadlines?state=open', () => {
  it('when requests are open, then they are listed earliest due first with confirmation and fired warnings; when finished, they leave the list', async () => {
    const now = Date.now();
    // half its time is gone: the half-time warning fires at once on the running (real) clock
    const due = halfTimePassed(now);
    const late = buildSubmitted(due.receivedAt, due.dueAt, { dueConfirmed: true });
    const later = buildSubmitted(new Date(now), new Date(now + 48 * HOUR), { dueConfirmed: false });
    await publishSubmitted(later);
    await publishSubmitted(late);

    const listed = await waitFor(
      async () => {
        const all = await openDeadlines();
        const a = all.find((d) => d.requestId === late.requestId);
        const b = all.find((d) => d.requestId === later.requestId);
        return a && b && a.warnings.length > 0 ? { all, a, b } : null;
      },
      { timeoutMs: 60_000, what: 'both deadlines open, the first with its half-time warning' },
    );
    expect(listed.a).toMatchObject({
      agencyId: late.agencyId,
      dueAt: late.dueAt,
      confirmed: true,
      reference: late.reference,
    });
    expect(listed.a.warnings.map((w) => w.kind)).toEqual(['half_time']);
    expect(listed.b).toMatchObject({ agencyId: later.agencyId, confirmed: false, warnings: [] });
    const dues = listed.all.map((d) => Date.parse(d.dueAt));
    expect(dues).toEqual([...dues].sort((x, y) => x - y));
    expect(listed.all.indexOf(listed.a)).toBeLessThan(listed.all.indexOf(listed.b));

    await publishFinished(late);
    await publishFinished(later);
    await waitFor(
      async () => {
        const ids = new Set((await openDeadlines()).map((d) => d.requestId));
        return !ids.has(late.requestId) && !ids.has(later.requestId);
      },
      { timeoutMs: 60_000, what: 'finished requests leave the open list' },
    );
  });

  it('when the query asks for another state or a bad limit, then it is refused', async () => {
    expect((await call()('GET', '/admin/deadlines?state=closed')).status).toBe(400);
    expect((await call()('GET', '/admin/deadlines?limit=abc')).status).toBe(400);
    expect((await admin(notifier.url, 'wrong-token')('GET', '/admin/deadlines')).status).toBe(401);
  });
});
