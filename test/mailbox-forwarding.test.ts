// Issue 16 on the real stack: an agency forwards a mailbox's mail to another of the province's
// mailboxes through the agency API (set_forward). Mail sent by SMTP to the mailbox then arrives
// over IMAP in both (a copy stays); clear_forward ends it, so only the mailbox gets the next one.
// The directory shows the forward in the mailbox's admin view and names it in its history. A
// forward to gmail.com from a Bắc Ninh mailbox is refused at submission naming the field and
// Điều 8 khoản 5, nothing stored; a deleted mailbox's forward ends with it (the mail server then
// refuses its address instead of still forwarding it). The provisioner's drift check accepts the
// forward row the directory published. When the mailbox a forward points to changes address (a
// transfer), the forward is rewritten to the new address: the forwarding mailbox's history says
// so and vmail's forward row lists the new address, not the old one the transition alias serves.
// A deleted mailbox restored within retention gets its forward back (mail to it reaches the target
// again) while the target is still an active address; one whose target was deleted meanwhile comes
// back without it, and the item's result says so in Vietnamese and English; one whose target
// changed address meanwhile follows it to the new address. A suspended mailbox
// keeps its forward: restored, its mail reaches the target again. A restore the mail server refuses
// (its retained mail purged) is undone, the forward it brought back with it.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { deletedMailDaysFor } from '@hopthu/naming';
import { localSecret } from '@hopthu/shared/local-env';
import {
  adminFetch,
  countInInbox,
  expectRefusedNothingStored,
  mailboxIdAt,
  demoAgency,
  imapLoginWorks,
  readStack,
  serviceDatabaseUrl,
  serviceUrl,
  waitFor,
} from '@hopthu/shared/testing';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

const stack = readStack();
const directory = serviceUrl('directory');
const requests = serviceUrl('requests');
const provisioner = serviceUrl('provisioner');
const demo = demoAgency('stttt');
const agency = demo.client;
const requester = { fullName: 'Trần Văn Chuyển', position: 'Chánh Văn phòng' };
const reference = () => ({ number: `${randomUUID().slice(0, 6)}/CT-STTTT`, date: '2026-11-21' });

/** Sends one message to `to` on the inbound SMTP port: 250, or the code Postfix refused it with. */
async function sendTo(to: string, subject: string): Promise<number> {
  const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: 2525, secure: false, ignoreTLS: true });
  try {
    await smtp.sendMail({
      from: 'nguoigui@example.org',
      to,
      subject,
      text: 'thư chuyển tiếp / forwarded mail',
    });
    return 250;
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    if (code === undefined) throw error;
    return code;
  } finally {
    smtp.close();
  }
}

/** Files one item; an item the province's policy holds for an operator is approved by one. */
async function settle(item: Record<string, unknown>) {
  const filed =
    item.operation === 'create'
      ? await agency.submit({ requester, reference: reference(), items: [item] })
      : // accepted once the requests service's replica has the mailbox as the last change left it
        // (created, deleted): the replica follows the directory's state a moment later
        await waitFor(
          async () => {
            const f = await agency.submit({ requester, reference: reference(), items: [item] });
            return f.status === 403 ? undefined : f;
          },
          { timeoutMs: 30_000, what: `${String(item.operation)} of ${String(item.address)} accepted` },
        );
  expect(filed.status, JSON.stringify(filed.body)).toBe(202);
  const first = filed.body.items[0]!;
  if (first.status === 'pending_approval') {
    const path = `/admin/requests/${filed.body.id}/items/${first.id}/approve`;
    const approved = await adminFetch(requests, 'POST', path, { operator: 'op.chuyentiep' });
    expect(approved.body.status, JSON.stringify(approved.body)).toBe('approved');
  }
  const done = await agency.waitFinished(filed.body.id, 180_000);
  expect(done.items[0], JSON.stringify(done.items[0])).toMatchObject({ status: 'completed' });
  return done;
}

/** A new personal mailbox of stttt (Bắc Ninh) that can log in over IMAP. */
async function personalMailbox(department: string) {
  const done = await settle({
    operation: 'create',
    mailboxType: 'personal',
    person: { familyName: 'Phạm', middleName: 'Văn', givenName: 'Tiếp', department },
  });
  const credential = await agency.openCredential(String(done.items[0]!.credentialUrl));
  if (!('password' in credential)) throw new Error(`credential answered ${credential.status}`);
  await waitFor(() => imapLoginWorks(credential.address, credential.password, stack.imap), {
    timeoutMs: 60_000,
    what: `${credential.address} ready`,
  });
  // the directory makes it active once it reads the mail server's result, a moment after the login
  const id = await mailboxIdAt(credential.address);
  await waitFor(
    async () =>
      (await adminFetch(directory, 'GET', `/admin/mailboxes/${id}`)).body.state === 'active'
        ? true
        : undefined,
    { timeoutMs: 90_000, what: `${credential.address} active in the directory` },
  );
  return credential;
}

/** Two new mailboxes of stttt, the first (`id`) forwarding to the second; the names' run keeps them apart. */
async function forwardedPair(holderDepartment: string, deputyDepartment: string) {
  const run = randomUUID().slice(0, 6);
  const holder = await personalMailbox(`${holderDepartment} ${run}`);
  const deputy = await personalMailbox(`${deputyDepartment} ${run}`);
  const id = await mailboxIdAt(holder.address);
  await settle({ operation: 'set_forward', address: holder.address, forwardTo: deputy.address });
  return { holder, deputy, id };
}

const inbox = (box: { address: string; password: string }, subject: string) =>
  countInInbox(box.address, box.password, subject, stack.imap);

/** The targets of vmail's alias row on `address` (what Postfix delivers it to); null without a row. */
async function vmailTargets(address: string): Promise<string[] | null> {
  const client = new pg.Client({ connectionString: localSecret('VMAIL_DATABASE_URL') });
  await client.connect();
  try {
    const { rows } = await client.query<{ goto: string }>('SELECT goto FROM alias WHERE address = $1', [
      address,
    ]);
    return rows[0] ? rows[0].goto.split(',').sort() : null;
  } finally {
    await client.end();
  }
}

/** The drift check's differences on `address` (none while the mail server matches the directory). */
async function driftOn(address: string) {
  const drift = await adminFetch(provisioner, 'GET', '/admin/drift?domain=bacninh.gov.vn');
  return (drift.body.differences as { address: string }[]).filter((d) => d.address === address);
}

/** Waits until the mail with `subject` is in `box`'s inbox, once. */
const arrives = (box: { address: string; password: string }, subject: string, what: string) =>
  waitFor(async () => (await inbox(box, subject)) === 1, { timeoutMs: 30_000, what });

/** Waits until the drift check finds the mail server matching the directory on `address`. */
const noDriftOn = (address: string, when: string) =>
  waitFor(async () => ((await driftOn(address)).length === 0 ? true : undefined), {
    timeoutMs: 30_000,
    what: `no drift on ${address} ${when}`,
  });

describe('forwarding through the agency API', () => {
  it('when an agency forwards a mailbox to another of the province, then mail to it is read in both until the forward is cleared', async () => {
    const run = randomUUID().slice(0, 6);
    const holder = await personalMailbox(`Phòng Chuyển ${run}`);
    const deputy = await personalMailbox(`Phòng Nhận ${run}`);
    const id = await mailboxIdAt(holder.address);

    const set = await settle({
      operation: 'set_forward',
      address: holder.address,
      forwardTo: deputy.address,
      reason: 'Cán bộ đi học, người thay nhận thư',
    });
    const view = await adminFetch(directory, 'GET', `/admin/mailboxes/${id}`);
    expect(view.body.forwardTo).toBe(deputy.address);
    const history = await adminFetch(directory, 'GET', `/admin/mailboxes/${id}/history`);
    expect(history.body.items).toContainEqual(
      expect.objectContaining({
        change: 'forward_set',
        requestId: set.id,
        itemId: set.items[0]!.id,
        details: expect.objectContaining({ forwardTo: deputy.address }),
      }),
    );

    const forwarded = `chuyen-tiep ${randomUUID()}`;
    expect(await sendTo(holder.address, forwarded)).toBe(250);
    await arrives(deputy, forwarded, 'the forwarded copy in the deputy mailbox');
    await arrives(holder, forwarded, 'the copy kept in the mailbox');

    // the drift check knows the forward row for the directory's own (the replica has forwardTo)
    await noDriftOn(holder.address, 'while forwarded');

    await settle({ operation: 'clear_forward', address: holder.address, reason: 'Cán bộ đã trở lại' });
    expect((await adminFetch(directory, 'GET', `/admin/mailboxes/${id}`)).body.forwardTo).toBeNull();
    const after = `sau-khi-dung ${randomUUID()}`;
    expect(await sendTo(holder.address, after)).toBe(250);
    await arrives(holder, after, 'the mail in the mailbox after the forward ended');
    // the mailbox's copy has arrived; a forwarded one would have come in the same delivery
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await inbox(deputy, after)).toBe(0);
  }, 600_000);

  it('when the mailbox a forward points to is transferred to a sub-unit, then the forward follows it to its new address', async () => {
    const { holder, deputy, id: holderId } = await forwardedPair('Phòng Gửi', 'Phòng Đổi');
    const deputyId = await mailboxIdAt(deputy.address);
    await waitFor(async () => ((await vmailTargets(holder.address))?.length === 2 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the forward row in vmail',
    });

    const transfer = await settle({
      operation: 'update',
      mailboxType: 'personal',
      address: deputy.address,
      changes: { agencyId: demoAgency('ttcntttt').agencyId },
    });
    const moved = String((await adminFetch(directory, 'GET', `/admin/mailboxes/${deputyId}`)).body.address);
    expect(moved).not.toBe(deputy.address);
    expect((await adminFetch(directory, 'GET', `/admin/mailboxes/${holderId}`)).body.forwardTo).toBe(moved);
    const history = await adminFetch(directory, 'GET', `/admin/mailboxes/${holderId}/history`);
    expect(history.body.items).toContainEqual(
      expect.objectContaining({
        change: 'forward_retargeted',
        requestId: transfer.id,
        details: expect.objectContaining({
          from: deputy.address,
          forwardTo: moved,
          renamedMailboxId: deputyId,
        }),
      }),
    );
    // vmail's forward row names the new address itself, not the old one the transition alias serves
    await waitFor(
      async () =>
        JSON.stringify(await vmailTargets(holder.address)) === JSON.stringify([holder.address, moved].sort())
          ? true
          : undefined,
      { timeoutMs: 30_000, what: `the forward row of ${holder.address} to ${moved}` },
    );
    const probe = `sau-chuyen-cong-tac ${randomUUID()}`;
    expect(await sendTo(holder.address, probe)).toBe(250);
    await arrives({ ...deputy, address: moved }, probe, 'the forwarded copy in the moved mailbox');
    await noDriftOn(holder.address, 'after the rewrite');
  }, 600_000);

  it('when a forwarded mailbox is deleted, then its forward ends with it and the mail server refuses its address', async () => {
    const { holder, deputy, id } = await forwardedPair('Phòng Nghỉ', 'Phòng Thay');
    const probe = `truoc-khi-xoa ${randomUUID()}`;
    expect(await sendTo(holder.address, probe)).toBe(250);
    await arrives(deputy, probe, 'the forward working before the delete');

    const deleted = await settle({ operation: 'delete', address: holder.address, reason: 'Nghỉ hưu' });
    const history = await adminFetch(directory, 'GET', `/admin/mailboxes/${id}/history`);
    expect(history.body.items).toContainEqual(
      expect.objectContaining({
        change: 'forward_ended',
        itemId: deleted.items[0]!.id,
        details: expect.objectContaining({ forwardTo: deputy.address }),
      }),
    );
    expect((await adminFetch(directory, 'GET', `/admin/mailboxes/${id}`)).body.forwardTo).toBeNull();
    // with the forward row left behind, Postfix would still accept the address and forward it
    await waitFor(async () => ((await sendTo(holder.address, `${probe} sau`)) >= 500 ? true : undefined), {
      timeoutMs: 30_000,
      what: `Postfix refuses ${holder.address}`,
    });
  }, 600_000);

  it('when a forwarded mailbox is deleted and restored within retention, then its forward comes back and mail reaches the target again', async () => {
    const { holder, deputy, id } = await forwardedPair('Phòng Về', 'Phòng Giữ');
    await settle({ operation: 'delete', address: holder.address, reason: 'Nghỉ việc' });
    await waitFor(async () => ((await vmailTargets(holder.address)) === null ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the forward row gone with the delete',
    });

    const restored = await settle({
      operation: 'restore_deleted',
      address: holder.address,
      reason: 'Cán bộ được tuyển dụng lại',
    });
    // every alias and the forward came back: the item's result names nothing left behind
    expect(String(restored.items[0]!.reason ?? '')).not.toContain(deputy.address);
    const credential = await agency.openCredential(String(restored.items[0]!.credentialUrl));
    if (!('password' in credential)) throw new Error(`credential answered ${credential.status}`);
    expect((await adminFetch(directory, 'GET', `/admin/mailboxes/${id}`)).body.forwardTo).toBe(
      deputy.address,
    );
    const history = await adminFetch(directory, 'GET', `/admin/mailboxes/${id}/history`);
    expect(history.body.items).toContainEqual(
      expect.objectContaining({
        change: 'restored_from_retention',
        itemId: restored.items[0]!.id,
        details: expect.objectContaining({ previousForward: deputy.address, forwardTo: deputy.address }),
      }),
    );
    expect(await vmailTargets(holder.address)).toEqual([holder.address, deputy.address].sort());

    // mail to the restored mailbox is kept in it and forwarded to the target, as before the delete
    const probe = `sau-khoi-phuc ${randomUUID()}`;
    expect(await sendTo(holder.address, probe)).toBe(250);
    await arrives(deputy, probe, 'the forwarded copy in the deputy mailbox after the restore');
    await arrives(
      { ...holder, password: credential.password },
      probe,
      'the copy kept in the restored mailbox',
    );
    await noDriftOn(holder.address, 'after the restore');
  }, 600_000);

  it('when the forward target changed address while the mailbox was deleted, then the restored forward follows it to its new address', async () => {
    const { holder, deputy, id: holderId } = await forwardedPair('Phòng Vắng', 'Phòng Chuyển Đi');
    const deputyId = await mailboxIdAt(deputy.address);
    await settle({ operation: 'delete', address: holder.address, reason: 'Nghỉ việc' });
    await settle({
      operation: 'update',
      mailboxType: 'personal',
      address: deputy.address,
      changes: { agencyId: demoAgency('ttcntttt').agencyId },
    });
    const moved = String((await adminFetch(directory, 'GET', `/admin/mailboxes/${deputyId}`)).body.address);
    expect(moved).not.toBe(deputy.address);

    const restored = await settle({
      operation: 'restore_deleted',
      address: holder.address,
      reason: 'Trở lại',
    });
    const credential = await agency.openCredential(String(restored.items[0]!.credentialUrl));
    if (!('password' in credential)) throw new Error(`credential answered ${credential.status}`);
    // not the old address, which only forwards to the new one for its transition period
    expect((await adminFetch(directory, 'GET', `/admin/mailboxes/${holderId}`)).body.forwardTo).toBe(moved);
    expect(await vmailTargets(holder.address)).toEqual([holder.address, moved].sort());
    const probe = `theo-dia-chi-moi ${randomUUID()}`;
    expect(await sendTo(holder.address, probe)).toBe(250);
    await arrives({ ...deputy, address: moved }, probe, 'the forwarded copy at the moved address');
  }, 600_000);

  it('when a forwarded mailbox is suspended and restored, then its forward works again', async () => {
    const { holder, deputy, id } = await forwardedPair('Phòng Tạm', 'Phòng Nhận Thay');
    await settle({ operation: 'suspend', address: holder.address, reason: 'Nghỉ phép dài hạn' });
    // suspended: the mailbox keeps its forward in the directory, the mail server refuses its login
    expect((await adminFetch(directory, 'GET', `/admin/mailboxes/${id}`)).body).toMatchObject({
      state: 'suspended',
      forwardTo: deputy.address,
    });
    await settle({ operation: 'restore', address: holder.address, reason: 'Đã trở lại làm việc' });
    expect((await adminFetch(directory, 'GET', `/admin/mailboxes/${id}`)).body.forwardTo).toBe(
      deputy.address,
    );
    expect(await vmailTargets(holder.address)).toEqual([holder.address, deputy.address].sort());
    const probe = `sau-tam-dung ${randomUUID()}`;
    expect(await sendTo(holder.address, probe)).toBe(250);
    await arrives(deputy, probe, 'the forwarded copy after the suspend and restore');
    await arrives(holder, probe, 'the copy kept in the restored mailbox');
  }, 600_000);

  it('when the forward target was deleted meanwhile, then the restore brings the mailbox back without it and the item says so', async () => {
    const { holder, deputy, id } = await forwardedPair('Phòng Trở', 'Phòng Đi');
    await settle({ operation: 'delete', address: holder.address, reason: 'Nghỉ việc' });
    await settle({ operation: 'delete', address: deputy.address, reason: 'Nghỉ hưu' });

    const restored = await settle({
      operation: 'restore_deleted',
      address: holder.address,
      reason: 'Cán bộ được tuyển dụng lại',
    });
    const note = String(restored.items[0]!.reason);
    expect(note).toContain(`Chuyển tiếp thư tới ${deputy.address} không được khôi phục`);
    expect(note).toContain(`The forward to ${deputy.address} was not brought back`);
    const credential = await agency.openCredential(String(restored.items[0]!.credentialUrl));
    if (!('password' in credential)) throw new Error(`credential answered ${credential.status}`);
    expect((await adminFetch(directory, 'GET', `/admin/mailboxes/${id}`)).body.forwardTo).toBeNull();
    const history = await adminFetch(directory, 'GET', `/admin/mailboxes/${id}/history`);
    const record = (history.body.items as { change: string; details: Record<string, unknown> }[]).find(
      (h) => h.change === 'restored_from_retention',
    );
    expect(record?.details).toMatchObject({
      previousForward: deputy.address,
      forwardNotRestored: {
        forwardTo: deputy.address,
        reason: { vi: expect.stringContaining(deputy.address), en: expect.stringContaining(deputy.address) },
      },
    });
    expect(record?.details.forwardTo).toBeUndefined();
    expect(await vmailTargets(holder.address)).toBeNull();
    // the mailbox is back and gets its mail, none of it sent on to the gone address
    const probe = `khong-chuyen ${randomUUID()}`;
    expect(await sendTo(holder.address, probe)).toBe(250);
    await arrives({ ...holder, password: credential.password }, probe, 'the mail in the restored mailbox');
  }, 600_000);

  it('when the mail server finds the retained mail purged, then the restore is undone and the forward it brought back ends again', async () => {
    const { holder, deputy, id } = await forwardedPair('Phòng Hết Hạn', 'Phòng Thế');
    await settle({ operation: 'delete', address: holder.address, reason: 'Nghỉ việc' });
    // that night's purge, as the mail server saw it: its delete is past the period, the copy gone
    const retention = await adminFetch<{ entries: { address: string; location: string }[] }>(
      provisioner,
      'GET',
      '/admin/retention',
    );
    const retained = retention.body.entries.find((e) => e.address === holder.address);
    const deletedAt = new Date(Date.now() - (deletedMailDaysFor(holder.address) + 1) * 86_400_000);
    const provisionerDb = new pg.Client({ connectionString: serviceDatabaseUrl('provisioner') });
    await provisionerDb.connect();
    try {
      await provisionerDb.query(
        "UPDATE applied_commands SET applied_at = $1 WHERE mailbox_id = $2 AND action = 'delete'",
        [deletedAt, id],
      );
    } finally {
      await provisionerDb.end();
    }
    if (retained) await rm(retained.location, { recursive: true, force: true });

    const filed = await waitFor(
      async () => {
        const f = await agency.submit({
          requester,
          reference: reference(),
          items: [{ operation: 'restore_deleted', address: holder.address, reason: 'Tuyển dụng lại' }],
        });
        return f.status === 403 ? undefined : f;
      },
      { timeoutMs: 30_000, what: 'restore_deleted accepted' },
    );
    expect(filed.status, JSON.stringify(filed.body)).toBe(202);
    const approve = `/admin/requests/${filed.body.id}/items/${filed.body.items[0]!.id}/approve`;
    expect((await adminFetch(requests, 'POST', approve, { operator: 'op.chuyentiep' })).body.status).toBe(
      'approved',
    );
    const done = await agency.waitFinished(filed.body.id, 180_000);
    expect(done.items[0]).toMatchObject({ operation: 'restore_deleted', status: 'failed' });
    await waitFor(
      async () =>
        (await adminFetch(directory, 'GET', `/admin/mailboxes/${id}`)).body.state === 'deleted'
          ? true
          : undefined,
      { timeoutMs: 30_000, what: `${holder.address} deleted again in the directory` },
    );
    expect((await adminFetch(directory, 'GET', `/admin/mailboxes/${id}`)).body.forwardTo).toBeNull();
    const history = await adminFetch(directory, 'GET', `/admin/mailboxes/${id}/history`);
    expect(history.body.items).toContainEqual(
      expect.objectContaining({
        change: 'restore_undone',
        itemId: done.items[0]!.id,
        details: expect.objectContaining({ to: 'deleted', forwardTo: deputy.address }),
      }),
    );
    // the mail server wrote neither the mailbox nor its forward: the address is refused, not forwarded
    expect(await vmailTargets(holder.address)).toBeNull();
    expect(await sendTo(holder.address, `sau-khi-xoa-han ${randomUUID()}`)).toBeGreaterThanOrEqual(500);
  }, 600_000);

  it('when a Bắc Ninh mailbox is forwarded to gmail.com, then 400 names forwardTo and Điều 8 khoản 5, and nothing is stored', async () => {
    const [own] = (await agency.agencies()).filter((a) => a.acting);
    const body = {
      requester,
      reference: reference(),
      items: [
        { operation: 'set_forward', address: own!.officialMailbox!, forwardTo: 'vanthu.rieng@gmail.com' },
      ],
    };
    const error = await expectRefusedNothingStored(agency, body, '/items/0/forwardTo');
    expect(error.message.vi).toContain('Điều 8 khoản 5');
    expect(error.message.en).toContain('Điều 8 khoản 5');
    const id = await mailboxIdAt(own!.officialMailbox!);
    expect((await adminFetch(directory, 'GET', `/admin/mailboxes/${id}`)).body.forwardTo ?? null).toBeNull();
  });
});
