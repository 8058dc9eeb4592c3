// Issue 16 from the console: an operator forwards a mailbox's mail from its page (a form posted as
// a browser posts it), filed as a set_forward request for its agency under the operator's own
// token; a target at gmail.com is refused naming Bắc Ninh Điều 8 khoản 5 and nothing is filed; once
// the request is done the page shows the forward and the history names the operator; ending it
// (clear_forward) takes it away. Every attempt is in the audit chain.
import { randomUUID } from 'node:crypto';
import { createDb } from '@hopthu/shared/db';
import {
  adminFetch,
  createAgencyClient,
  readDemoClients,
  serviceDatabaseUrl,
  waitFor,
} from '@hopthu/shared/testing';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createFormClient, createTestOperator, DIRECTORY } from './console-helpers.ts';

const consoleDb = createDb<Record<string, never>>(serviceDatabaseUrl('console'), { max: 1 });
afterAll(async () => {
  await consoleDb.destroy();
});

const stttt = readDemoClients().find((c) => c.abbreviation === 'stttt')!;

/** A new personal mailbox of stttt (Bắc Ninh), made as the agency makes one; its id and address. */
async function mailboxOfStttt() {
  const agency = createAgencyClient(stttt);
  const run = randomUUID().slice(0, 6);
  const created = await agency.submit({
    requester: { fullName: 'Nguyễn Thị Bình' },
    reference: { number: `${run}/CT-BC`, date: '2026-11-21' },
    items: [
      {
        operation: 'create',
        mailboxType: 'personal',
        person: { familyName: 'Lý', middleName: 'Văn', givenName: 'Chuyển', department: `Phòng CT ${run}` },
      },
    ],
  });
  expect(created.status).toBe(202);
  const done = await agency.waitFinished(created.body.id);
  const address = String(done.items[0]!.address);
  const found = await adminFetch(
    DIRECTORY,
    'GET',
    `/admin/directory/search?address=${encodeURIComponent(address)}`,
  );
  const id = (found.body.items as { mailboxId: string; address: string }[]).find(
    (m) => m.address === address,
  )!.mailboxId;
  return { id, address };
}

describe("a mailbox's forward from the console", () => {
  it('when an operator forwards a mailbox within the province and then ends it, then each is a request in their name; gmail.com is refused naming Điều 8 khoản 5', async () => {
    const mailbox = await mailboxOfStttt();
    const target = `vanthu.${randomUUID().slice(0, 6)}@bacninh.gov.vn`;
    const op = await createTestOperator('operator', 'Lý Thị Chuyển');
    const client = createFormClient();
    await client.logIn(op);
    const pagePath = `/directory/mailboxes/${mailbox.id}`;
    const page = await client.get(pagePath);
    expect(page.html).toContain('Hộp thư không chuyển tiếp thư.');
    const form = (more: Record<string, string>) => ({
      _csrf: client.csrfIn(page.html),
      idempotencyKey: randomUUID(),
      ...more,
    });

    const refused = await client.post(
      `${pagePath}/forward`,
      form({ forwardTo: 'canbo.rieng@gmail.com', reason: 'Chuyển sang hộp thư riêng' }),
    );
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('Điều 8 khoản 5');

    const set = await client.post(
      `${pagePath}/forward`,
      form({ forwardTo: target, reason: 'Cán bộ đi học' }),
    );
    expect(set.status).toBe(200);
    expect(set.html).toContain(`Đã gửi yêu cầu chuyển tiếp thư tới ${target}`);
    const shown = await waitFor(
      async () => {
        const html = (await client.get(pagePath)).html;
        return html.includes(`chuyển tiếp tới <strong>${target}</strong>`) ? html : undefined;
      },
      { timeoutMs: 60_000, what: 'the forward on the mailbox page' },
    );
    expect(shown).toContain('forward_set');
    expect(shown).toContain(`operator:${op.username}`);

    const cleared = await client.post(`${pagePath}/forward/clear`, form({ reason: 'Cán bộ đã trở lại' }));
    expect(cleared.status).toBe(200);
    expect(cleared.html).toContain('Đã gửi yêu cầu dừng chuyển tiếp thư');
    await waitFor(
      async () =>
        (await client.get(pagePath)).html.includes('Hộp thư không chuyển tiếp thư.') ? true : undefined,
      { timeoutMs: 60_000, what: 'the forward gone from the mailbox page' },
    );

    const { rows: audit } = await sql<{ action: string; outcome: string }>`
      SELECT action, outcome FROM audit_log WHERE username = ${op.username} ORDER BY id`.execute(consoleDb);
    expect(audit.filter((a) => a.action.startsWith('mailbox.'))).toEqual([
      { action: 'mailbox.forward_set', outcome: 'refused' },
      { action: 'mailbox.forward_set', outcome: 'ok' },
      { action: 'mailbox.forward_clear', outcome: 'ok' },
    ]);
  }, 300_000);
});
