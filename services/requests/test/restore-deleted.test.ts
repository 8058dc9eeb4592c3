// A deleted mailbox given back from retention (restore_deleted) through the agency API on the real
// stack: a mailbox with mail is deleted (Mẫu 03), then restored; an operator approves (a restore is
// never approved on receipt); the directory makes it active again and the provisioner moves its
// maildir back, so the agency's new one-time credential reads the old message over IMAP (imapflow).
// Refused with problem+json (Vietnamese and English, naming the field): on the province's purge day
// (the replica's delete day moved back past retention.deletedMailDays, the calendar the provisioner
// purges by) and when a live mailbox holds the address. Where the replica does not know the
// delete day, the directory judges it when it applies the item: the item fails with why.
import { randomUUID } from 'node:crypto';
import { deletedMailDaysFor } from '@hopthu/naming';
import { createDb } from '@hopthu/shared/db';
import { operatorSigner, signOperatorToken } from '@hopthu/shared/operator-token';
import {
  countInInbox,
  createAgencyClient,
  readDemoClients,
  readStack,
  serviceDatabaseUrl,
  serviceUrl,
  waitFor,
} from '@hopthu/shared/testing';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/schema.ts';

const db = createDb<Database>(serviceDatabaseUrl('requests'), { max: 2 });
const directoryDb = createDb<Record<string, never>>(serviceDatabaseUrl('directory'), { max: 1 });
afterAll(async () => {
  await db.destroy();
  await directoryDb.destroy();
});
const demo = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
const agency = createAgencyClient(demo);
const signer = operatorSigner(String(process.env.OPERATOR_SIGNING_KEY));

/** Approves every item of the request still waiting (two different operators where needed). */
async function approveWaiting(requestId: string) {
  const items = await db
    .selectFrom('request_items')
    .selectAll()
    .where('request_id', '=', requestId)
    .execute();
  for (const item of items.filter((i) => i.status === 'pending_approval')) {
    for (const name of ['kt.khoiphuc1', 'kt.khoiphuc2'].slice(0, item.approvals_needed)) {
      const token = await signOperatorToken(signer, { name, role: 'approver' });
      const res = await fetch(
        `${serviceUrl('requests')}/admin/requests/${requestId}/items/${item.id}/approve`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: '{}',
        },
      );
      expect(res.status).toBe(200);
    }
  }
}

const replicaState = (address: string) =>
  db
    .selectFrom('mailboxes')
    .select(['state', 'deleted_at'])
    .where('address', '=', address)
    .executeTakeFirst();

const head = (run: string, what: string) => ({
  requester: { fullName: 'Nguyễn Thị Bình' },
  reference: { number: `${run}/${what}`, date: '2026-12-01' },
});

/** A mailbox of stttt with one message in it, then deleted by the agency (Mẫu 03), as the replica sees it. */
async function deletedMailboxWithMail(run: string) {
  const created = await agency.submit({
    ...head(run, 'TAO'),
    items: [
      {
        operation: 'create',
        mailboxType: 'personal',
        person: { familyName: 'Lưu', middleName: 'Thị', givenName: 'Trữ', department: `Phòng Lưu ${run}` },
      },
    ],
  });
  expect(created.status).toBe(202);
  const done = await agency.waitFinished(created.body.id);
  const first = await agency.openCredential(String(done.items[0]!.credentialUrl));
  if (!('password' in first)) throw new Error(`credential answered ${first.status}`);
  const { address } = first;
  const subject = `Ho so luu tru ${run}`;
  const { smtp } = readStack();
  await nodemailer
    .createTransport({ ...smtp, secure: false, ignoreTLS: true })
    .sendMail({ from: 'kiemthu@example.org', to: address, subject, text: 'thư cũ cần giữ lại' });
  await waitFor(
    async () => ((await countInInbox(address, first.password, subject)) === 1 ? true : undefined),
    {
      timeoutMs: 30_000,
      what: 'the mail delivered before the delete',
    },
  );

  const deleted = await agency.submit({
    ...head(run, 'XOA'),
    items: [{ operation: 'delete', address, reason: 'Nghỉ hưu' }],
  });
  expect(deleted.status).toBe(202);
  await approveWaiting(String(deleted.body.id));
  await agency.waitFinished(String(deleted.body.id));
  await waitFor(async () => ((await replicaState(address))?.state === 'deleted' ? true : undefined), {
    timeoutMs: 30_000,
    what: 'the replica to see the delete',
  });
  const deletedAt = (await replicaState(address))?.deleted_at;
  expect(deletedAt).toBeTruthy();
  return { address, first, subject, deletedAt };
}

const restoreRequest = (run: string, what: string, address: string) => ({
  ...head(run, what),
  items: [{ operation: 'restore_deleted', address, reason: 'Cán bộ được tuyển dụng lại' }],
});

describe('restoring a deleted mailbox from retention', () => {
  it('when a deleted mailbox is restored before its purge day, then the new credential reads its old mail; on the purge day or while the address is held, it is refused', async () => {
    const run = randomUUID().slice(0, 6);
    const { address, first, subject, deletedAt } = await deletedMailboxWithMail(run);

    const restoreBody = (what: string) => restoreRequest(run, what, address);

    // the purge day: the delete moved back past the province's period, as the provisioner counts it
    const days = deletedMailDaysFor(address);
    await db
      .updateTable('mailboxes')
      .set({ deleted_at: new Date(Date.now() - (days + 1) * 86_400_000) })
      .where('address', '=', address)
      .execute();
    const late = await agency.submit(restoreBody('KP-TRE'));
    expect(late.status).toBe(400);
    const lateErrors = late.body.errors as { field: string; message: { vi: string; en: string } }[];
    expect(lateErrors).toEqual([
      {
        field: '/items/0/address',
        message: {
          vi: expect.stringContaining('đã hết thời hạn lưu trữ'),
          en: expect.stringContaining('left retention for good'),
        },
      },
    ]);
    await db.updateTable('mailboxes').set({ deleted_at: deletedAt }).where('address', '=', address).execute();

    // before the purge day: waits for an operator, then the mailbox is back with its mail
    const restored = await agency.submit(restoreBody('KP'));
    expect(restored.status).toBe(202);
    expect(restored.body.status).toBe('pending_approval');
    await approveWaiting(String(restored.body.id));
    const finished = await agency.waitFinished(String(restored.body.id));
    expect(finished.items[0]).toMatchObject({ status: 'completed', operation: 'restore_deleted' });
    const second = await agency.openCredential(String(finished.items[0]!.credentialUrl));
    if (!('password' in second)) throw new Error(`credential answered ${second.status}`);
    expect(second.address).toBe(address);
    expect(second.password).not.toBe(first.password);
    expect(await countInInbox(address, second.password, subject)).toBe(1);
    await waitFor(async () => ((await replicaState(address))?.state === 'active' ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the replica to see the mailbox active again',
    });

    // the address is a live mailbox's now
    const taken = await agency.submit(restoreBody('KP-LAI'));
    expect(taken.status).toBe(409);
    expect(taken.body.errors).toEqual([
      {
        field: '/items/0/address',
        message: {
          vi: expect.stringContaining('đang thuộc một hộp thư khác'),
          en: expect.stringContaining('held by another mailbox'),
        },
      },
    ]);
  }, 240_000);
  it('when the requests service does not know the delete day and the purge day has come, then the directory fails the item with why', async () => {
    const run = randomUUID().slice(0, 6);
    const { address } = await deletedMailboxWithMail(run);
    // a delete older than the replica's column, and one the directory dates past retention
    await db.updateTable('mailboxes').set({ deleted_at: null }).where('address', '=', address).execute();
    const days = deletedMailDaysFor(address);
    await sql`UPDATE retired_addresses SET retired_at = retired_at - make_interval(days => ${days + 1})
      WHERE address = ${address}`.execute(directoryDb);
    const asked = await agency.submit(restoreRequest(run, 'KP-TRE', address));
    expect(asked.status).toBe(202);
    await approveWaiting(String(asked.body.id));
    const finished = await agency.waitFinished(String(asked.body.id));
    expect(finished.items[0]).toMatchObject({ status: 'failed', operation: 'restore_deleted' });
    expect(JSON.stringify(finished.items[0]?.reason)).toContain('left retention for good');
    expect((await replicaState(address))?.state).toBe('deleted');
  }, 240_000);
});
