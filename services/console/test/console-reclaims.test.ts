// Thu hồi hộp thư on the real stack: a Đắk Nông personal mailbox whose last login is 7 months old
// is proposed for reclaiming by the directory's sweep (as in the directory's inactivity test); the
// console lists it, an approver dismisses it with a reason under their own name, and the proposal
// leaves the directory's open list; the action is in the console's audit log.
import { randomUUID } from 'node:crypto';
import { buildEvent, Topics } from '@hopthu/shared/events';
import { createMessageBus, type MessageBus } from '@hopthu/shared/kafka';
import { createLogger } from '@hopthu/shared/logger';
import { adminFetch, waitFor } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFormClient,
  createTestOperator,
  DIRECTORY,
  type TestOperator,
  useConsole,
} from './console-helpers.ts';

const TEST_HASH = '{BLF-CRYPT}$2b$05$abcdefghijklmnopqrstuuS0m3H4shV4lu3F0rT3st1ngOnlyXXXXXX';
const letters = (n: number) =>
  Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');

let stop: () => Promise<void>;
let bus: MessageBus;
let approver: TestOperator;
let admin: TestOperator;

beforeAll(async () => {
  stop = await useConsole();
  bus = createMessageBus({
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    clientId: 'console-reclaims-test',
    logger: createLogger('console-reclaims-test', { level: 'warn' }),
  });
  [approver, admin] = await Promise.all([
    createTestOperator('approver', 'Cán bộ thu hồi'),
    createTestOperator('admin', 'Quản trị kiểm thử'),
  ]);
});
afterAll(async () => stop?.());

async function send(topic: string, key: string, event: object) {
  const producer = await bus.createProducer();
  try {
    await producer.send([{ topic, key, value: JSON.stringify(event) }]);
  } finally {
    await producer.disconnect();
  }
}

/** An active Đắk Nông personal mailbox, made by the directory and the real provisioner. */
async function dakNongMailbox() {
  const abbreviation = `kt${letters(8)}`;
  const agency = await adminFetch<{ agencyId: string }>(DIRECTORY, 'POST', '/admin/agencies', {
    province: 'dak-nong',
    name: `Sở Kiểm thử thu hồi ${abbreviation}`,
    abbreviation,
    unitType: 'agency',
  });
  expect(agency.status, JSON.stringify(agency.body)).toBe(201);
  const requestId = randomUUID();
  const approved = buildEvent(
    'vn.gov.hopthu.request.item.approved.v1',
    {
      requestId,
      itemId: randomUUID(),
      agencyId: agency.body.agencyId,
      province: 'dak-nong',
      operation: 'create',
      mailboxType: 'personal',
      person: { familyName: 'Đinh', middleName: 'Thị', givenName: `Kt${letters(8)}` },
      passwordHash: TEST_HASH,
      approvedBy: 'console-test',
    },
    { source: 'urn:hopthu:console-test', subject: requestId, correlationId: requestId },
  );
  await send(Topics.requests, requestId, approved);
  // the admin search lists active mailboxes only: found = created by the provisioner
  return waitFor(
    async () => {
      const found = await adminFetch<{ items: { mailboxId: string; address: string; type: string }[] }>(
        DIRECTORY,
        'GET',
        `/admin/directory/search?agency=${abbreviation}`,
      );
      return found.body.items?.find((m) => m.type === 'personal');
    },
    { timeoutMs: 60_000, what: 'the Đắk Nông personal mailbox active' },
  );
}

/** Reports a last login as the provisioner does, and waits until the directory has recorded it. */
async function reportLogin(mailbox: { mailboxId: string; address: string }, at: Date) {
  const event = buildEvent(
    'vn.gov.hopthu.provisioning.activity.v1',
    { mailboxId: mailbox.mailboxId, address: mailbox.address, lastLoginAt: at.toISOString() },
    { source: 'urn:hopthu:console-test', subject: mailbox.mailboxId },
  );
  await send(Topics.provisioningResults, mailbox.mailboxId, event);
  await waitFor(
    async () =>
      (
        await adminFetch<{ lastActivityAt: string | null }>(
          DIRECTORY,
          'GET',
          `/admin/mailboxes/${mailbox.mailboxId}`,
        )
      ).body.lastActivityAt === at.toISOString(),
    { what: `last activity of ${mailbox.address} recorded`, timeoutMs: 30_000 },
  );
}

const openProposals = async (mailboxId: string) =>
  (
    await adminFetch<{
      items: { id: string; state: string; decidedBy: string | null; reason: string | null }[];
    }>(DIRECTORY, 'GET', `/admin/reclaims?state=all&mailboxId=${mailboxId}`)
  ).body.items;

describe('Thu hồi hộp thư', () => {
  it('when a Đắk Nông mailbox is unused for 7 months, then the page lists its proposal; an approver dismisses it with a reason and it leaves the directory’s open list, audited', async () => {
    const mailbox = await dakNongMailbox();
    await reportLogin(mailbox, new Date(Date.now() - 7 * 31 * 24 * 3_600_000));
    const sweep = await adminFetch<{ proposed: { mailboxId: string; proposalId: string }[] }>(
      DIRECTORY,
      'POST',
      '/admin/inactivity/sweep?province=dak-nong',
    );
    expect(sweep.status, JSON.stringify(sweep.body)).toBe(200);
    const proposalId = sweep.body.proposed.find((p) => p.mailboxId === mailbox.mailboxId)?.proposalId;
    expect(proposalId).toBeTruthy();

    const browser = createFormClient();
    expect((await browser.logIn(approver)).status).toBe(303);
    const page = await browser.get('/reclaims?province=dak-nong');
    expect(page.status).toBe(200);
    expect(page.html).toContain('href="/reclaims" aria-current="page"');
    const row = new RegExp(`<tr id="reclaim-${proposalId}"[^>]*>[\\s\\S]*?</tr>`).exec(page.html)?.[0];
    expect(row, 'the proposal on the page').toBeTruthy();
    expect(row).toContain(mailbox.address);
    expect(row).toContain('Sở Kiểm thử thu hồi');
    expect(row).toContain('Điều 7 khoản 3');
    expect(row).toContain('data-action="reclaim-dismiss"');
    const csrf = browser.csrfIn(page.html);

    // without a reason nothing reaches the directory; without the CSRF token neither
    const noReason = await browser.post(`/reclaims/${proposalId}/dismiss`, { _csrf: csrf, reason: '  ' });
    expect(noReason.status).toBe(400);
    const noCsrf = await browser.post(`/reclaims/${proposalId}/dismiss`, { reason: 'x' });
    expect(noCsrf.status).toBe(403);
    expect((await openProposals(mailbox.mailboxId))[0]).toMatchObject({ state: 'proposed' });

    const reason = 'Cán bộ đi học dài hạn, giữ hộp thư';
    const dismissed = await browser.post(`/reclaims/${proposalId}/dismiss`, { _csrf: csrf, reason });
    expect(dismissed).toMatchObject({ status: 303, location: '/reclaims?notice=reclaim_dismissed' });
    expect((await openProposals(mailbox.mailboxId))[0]).toMatchObject({
      id: proposalId,
      state: 'dismissed',
      decidedBy: approver.username,
      reason,
    });
    const open = await adminFetch<{ items: { id: string }[] }>(DIRECTORY, 'GET', '/admin/reclaims');
    expect(open.body.items.map((p) => p.id)).not.toContain(proposalId);
    expect((await browser.get('/reclaims')).html).not.toContain(`reclaim-${proposalId}`);

    // deciding again is refused by the directory and shown as such
    const again = await browser.post(`/reclaims/${proposalId}/approve`, { _csrf: csrf });
    expect(again.location).toBe('/reclaims?notice=reclaim_not_open');

    const adminBrowser = createFormClient();
    await adminBrowser.logIn(admin);
    const audit = await adminBrowser.get(`/audit?username=${approver.username}`);
    expect(audit.html).toContain('reclaim.dismiss');
    expect(audit.html).toContain(reason);
    expect(audit.html).toContain('reclaim.approve');
  });
});
