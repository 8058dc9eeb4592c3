// Issues 14 and 16 on the real stack: an agency gives one of its mailboxes an alias through the
// agency API (add_alias), the request completes, and mail sent to the alias through the real
// Postfix arrives in the mailbox (read over IMAP); the directory's history names the request and
// the client that filed it. An alias outside the province's domains is refused at submission
// naming the field and Bắc Ninh Điều 8 khoản 5 (no forwarding between an official mailbox and one
// not issued by a state body), and nothing is stored. remove_alias takes it away: Postfix then
// refuses the address. A deleted mailbox's aliases leave with it (Postfix refuses them) and come
// back when it is restored from retention, where still free: mail to the alias is delivered to the
// restored mailbox again; one taken meanwhile stays with its new holder and the restore's history
// and the item's result (its reason, in both languages) name it with why. A restore the directory judged in time but the mail server carries out after
// that night's purge (simulated: the provisioner's delete dated back past the province's period,
// its retained copy removed) fails naming the purge day in both languages instead of coming back
// empty, and the directory makes the mailbox deleted again.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { deletedMailDaysFor, deletedMailWindow } from '@hopthu/naming';
import { createDb } from '@hopthu/shared/db';
import {
  adminFetch,
  countInInbox,
  expectRefusedNothingStored,
  mailboxIdAt,
  imapLoginWorks,
  demoAgency,
  readStack,
  serviceDatabaseUrl,
  serviceUrl,
  waitFor,
} from '@hopthu/shared/testing';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';

const stack = readStack();
const directory = serviceUrl('directory');
const requests = serviceUrl('requests');
const provisioner = serviceUrl('provisioner');
const demo = demoAgency('stttt');
const agency = demo.client;
const requester = { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng' };
const reference = () => ({ number: `${randomUUID().slice(0, 6)}/BD-STTTT`, date: '2026-11-20' });

/** The SMTP answer to mail for `to` on the inbound port: 250 when accepted, else the refusal's code. */
async function smtpAnswer(to: string, subject: string): Promise<number> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: 2525,
    secure: false,
    ignoreTLS: true,
  });
  try {
    await transport.sendMail({
      from: 'kiemthu@example.org',
      to,
      subject,
      text: 'thư gửi bí danh / mail to an alias',
    });
    return 250;
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    if (code === undefined) throw error;
    return code;
  } finally {
    transport.close();
  }
}

/** A new personal mailbox of stttt (Bắc Ninh) and its first password, as the agency makes one. */
async function personalMailbox() {
  const run = randomUUID().slice(0, 6);
  const created = await agency.submit({
    requester,
    reference: reference(),
    items: [
      {
        operation: 'create',
        mailboxType: 'personal',
        person: { familyName: 'Lê', middleName: 'Thị', givenName: 'Bí', department: `Phòng Bí danh ${run}` },
      },
    ],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  const done = await agency.waitFinished(created.body.id, 180_000);
  const credential = await agency.openCredential(String(done.items[0]!.credentialUrl));
  if (!('password' in credential)) throw new Error(`credential answered ${credential.status}`);
  await waitFor(() => imapLoginWorks(credential.address, credential.password, stack.imap), {
    timeoutMs: 60_000,
    what: `${credential.address} ready`,
  });
  return credential;
}

async function fileAliasItem(operation: 'add_alias' | 'remove_alias', address: string, alias: string) {
  const filed = await agency.submit({
    requester,
    reference: reference(),
    items: [{ operation, address, alias, reason: 'Địa chỉ tiếp nhận hồ sơ một cửa' }],
  });
  expect(filed.status, JSON.stringify(filed.body)).toBe(202);
  return filed.body;
}

async function aliasItem(operation: 'add_alias' | 'remove_alias', address: string, alias: string) {
  const filed = await fileAliasItem(operation, address, alias);
  return agency.waitFinished(filed.id, 180_000);
}

/** An operator approves the request's one item, then the request is waited for. */
async function approveOnly(filed: { id: string; items: { id: string; status: string }[] }) {
  expect(filed.items[0]!.status).toBe('pending_approval');
  const approved = await adminFetch(
    requests,
    'POST',
    `/admin/requests/${filed.id}/items/${filed.items[0]!.id}/approve`,
    {
      operator: 'op.bidanh',
    },
  );
  expect(approved.body.status, JSON.stringify(approved.body)).toBe('approved');
  return agency.waitFinished(filed.id, 180_000);
}

/** Files one item and waits for it; one the province's policy holds is approved by an operator. */
async function settleItem(item: Record<string, unknown>) {
  const filed = await agency.submit({ requester, reference: reference(), items: [item] });
  expect(filed.status, JSON.stringify(filed.body)).toBe(202);
  const done =
    filed.body.items[0]!.status === 'pending_approval'
      ? await approveOnly(filed.body)
      : await agency.waitFinished(filed.body.id, 180_000);
  expect(done.items[0], JSON.stringify(done.items[0])).toMatchObject({ status: 'completed' });
  return done;
}

const directoryDb = createDb<Record<string, never>>(serviceDatabaseUrl('directory'), { max: 1 });
const provisionerDb = createDb<Record<string, never>>(serviceDatabaseUrl('provisioner'), { max: 1 });
afterAll(async () => {
  await directoryDb.destroy();
  await provisionerDb.destroy();
});

/** Waits until Postfix accepts (`250`) or refuses (`>= 500`) mail to `address`. */
const smtpSays = (address: string, accepted: boolean) =>
  waitFor(
    async () => {
      const code = await smtpAnswer(address, `tham-do ${randomUUID()}`);
      return (accepted ? code === 250 : code >= 500) ? true : undefined;
    },
    { timeoutMs: 30_000, what: `Postfix ${accepted ? 'accepts' : 'refuses'} ${address}` },
  );

describe('aliases through the agency API', () => {
  it('when an agency adds an alias, then mail to it arrives in the mailbox until the alias is removed', async () => {
    const mailbox = await personalMailbox();
    const alias = `motcua${randomUUID().replaceAll('-', '').slice(0, 8)}@bacninh.gov.vn`;

    const added = await aliasItem('add_alias', mailbox.address, alias);
    expect(added.status).toBe('completed');
    expect(added.items[0]).toMatchObject({ operation: 'add_alias', status: 'completed' });

    const subject = `bi-danh ${randomUUID()}`;
    await waitFor(async () => ((await smtpAnswer(alias, subject)) === 250 ? true : undefined), {
      timeoutMs: 20_000,
      what: `Postfix accepts ${alias}`,
    });
    await waitFor(
      async () => (await countInInbox(mailbox.address, mailbox.password, subject, stack.imap)) === 1,
      {
        timeoutMs: 30_000,
        what: 'the mail to the alias in the mailbox',
      },
    );

    const state = await adminFetch(
      directory,
      'GET',
      `/admin/aliases?mailboxId=${await mailboxIdAt(mailbox.address)}`,
    );
    expect((state.body.items as { address: string }[]).map((a) => a.address)).toContain(alias);
    const history = await adminFetch(
      directory,
      'GET',
      `/admin/mailboxes/${await mailboxIdAt(mailbox.address)}/history`,
    );
    expect(history.body.items).toContainEqual(
      expect.objectContaining({
        change: 'alias_added',
        requestId: added.id,
        itemId: added.items[0]!.id,
        actor: demo.clientId,
      }),
    );

    const removed = await aliasItem('remove_alias', mailbox.address, alias);
    expect(removed.items[0]).toMatchObject({ operation: 'remove_alias', status: 'completed' });
    await waitFor(async () => ((await smtpAnswer(alias, `${subject} sau`)) >= 500 ? true : undefined), {
      timeoutMs: 20_000,
      what: `Postfix refuses ${alias} again`,
    });
  }, 600_000);

  it("when the alias is for the agency's own mailbox, then Bắc Ninh's policy holds it for an operator, whose approval the history names", async () => {
    const [own] = (await agency.agencies()).filter((a) => a.acting);
    const mailbox = own!.officialMailbox!;
    const alias = `vanthu${randomUUID().replaceAll('-', '').slice(0, 8)}@bacninh.gov.vn`;

    const added = await approveOnly(await fileAliasItem('add_alias', mailbox, alias));
    expect(added.items[0]).toMatchObject({ operation: 'add_alias', status: 'completed' });
    const id = await mailboxIdAt(mailbox);
    const listed = await adminFetch(directory, 'GET', `/admin/aliases?mailboxId=${id}`);
    expect((listed.body.items as { address: string }[]).map((a) => a.address)).toContain(alias);
    const history = await adminFetch(directory, 'GET', `/admin/mailboxes/${id}/history`);
    expect(history.body.items).toContainEqual(
      expect.objectContaining({
        change: 'alias_added',
        itemId: added.items[0]!.id,
        actor: 'operator:op.bidanh',
      }),
    );

    const removed = await approveOnly(await fileAliasItem('remove_alias', mailbox, alias));
    expect(removed.items[0]).toMatchObject({ status: 'completed' });
    const after = await adminFetch(directory, 'GET', `/admin/aliases?mailboxId=${id}`);
    expect((after.body.items as { address: string }[]).map((a) => a.address)).not.toContain(alias);
  }, 600_000);

  it('when a role address or an alias the mailbox does not have is asked for on receipt, then the item fails with why', async () => {
    const mailbox = await personalMailbox();
    const role = await aliasItem('add_alias', mailbox.address, 'postmaster@bacninh.gov.vn');
    expect(role.items[0]).toMatchObject({ status: 'failed' });
    expect(role.items[0]!.reason).toContain('postmaster@bacninh.gov.vn');
    const absent = await aliasItem(
      'remove_alias',
      mailbox.address,
      `khongco${randomUUID().slice(0, 6)}@bacninh.gov.vn`,
    );
    expect(absent.items[0]).toMatchObject({ status: 'failed' });
    expect(absent.items[0]!.reason).toContain('No such alias');
  }, 600_000);

  it('when a mailbox with aliases is deleted and restored, then the free alias delivers to it again and the taken one is named in its history and the item result', async () => {
    const mailbox = await personalMailbox();
    const other = await personalMailbox();
    const tag = randomUUID().replaceAll('-', '').slice(0, 8);
    const kept = `luutru${tag}@bacninh.gov.vn`;
    const lost = `chiase${tag}@bacninh.gov.vn`;
    await aliasItem('add_alias', mailbox.address, kept);
    await aliasItem('add_alias', mailbox.address, lost);
    await smtpSays(kept, true);
    const id = await mailboxIdAt(mailbox.address);

    const deleted = await settleItem({ operation: 'delete', address: mailbox.address, reason: 'Nghỉ việc' });
    const history = await adminFetch(directory, 'GET', `/admin/mailboxes/${id}/history`);
    expect(history.body.items).toContainEqual(
      expect.objectContaining({
        change: 'deleted',
        itemId: deleted.items[0]!.id,
        details: expect.objectContaining({
          aliases: expect.arrayContaining([expect.objectContaining({ address: kept, kind: 'alias' })]),
        }),
      }),
    );
    const listed = await adminFetch(directory, 'GET', `/admin/aliases?mailboxId=${id}`);
    expect(listed.body.items).toEqual([]);
    await smtpSays(kept, false);
    // held back like a retired address: nobody gets it through the agency API meanwhile
    const refused = await aliasItem('add_alias', other.address, lost);
    expect(refused.items[0]).toMatchObject({ status: 'failed' });
    // a province whose hold ended before the mail's retention did: the address is someone else's now
    await sql`UPDATE retired_addresses SET hold_until = now() WHERE address = ${lost}`.execute(directoryDb);
    await aliasItem('add_alias', other.address, lost);

    const restored = await settleItem({
      operation: 'restore_deleted',
      address: mailbox.address,
      reason: 'Cán bộ được tuyển dụng lại',
    });
    // the agency reads it in the item's result too, in both languages, once the mail server restored it
    const note = String(restored.items[0]!.reason);
    expect(note).toContain(`Bí danh ${lost} không được khôi phục`);
    expect(note).toContain(`The alias ${lost} was not brought back: the address is in use`);
    expect(note).not.toContain(kept);
    const credential = await agency.openCredential(String(restored.items[0]!.credentialUrl));
    if (!('password' in credential)) throw new Error(`credential answered ${credential.status}`);
    const after = await adminFetch(directory, 'GET', `/admin/mailboxes/${id}/history`);
    const record = (after.body.items as { change: string; details: Record<string, unknown> }[]).find(
      (h) => h.change === 'restored_from_retention',
    );
    expect(record?.details.aliases).toEqual([kept]);
    expect(record?.details.aliasesNotRestored).toEqual([
      {
        alias: lost,
        reason: {
          vi: expect.stringContaining(other.address),
          en: expect.stringContaining(`The alias ${lost} was not brought back: the address is in use`),
        },
      },
    ]);
    const aliases = await adminFetch(directory, 'GET', `/admin/aliases?mailboxId=${id}`);
    expect((aliases.body.items as { address: string }[]).map((a) => a.address)).toEqual([kept]);

    // the mail server delivers the alias to the restored mailbox again, the taken one to its holder
    const subject = `sau-khoi-phuc ${randomUUID()}`;
    await waitFor(async () => ((await smtpAnswer(kept, subject)) === 250 ? true : undefined), {
      timeoutMs: 30_000,
      what: `Postfix accepts ${kept} again`,
    });
    await waitFor(
      async () => (await countInInbox(mailbox.address, credential.password, subject, stack.imap)) === 1,
      { timeoutMs: 30_000, what: 'the mail to the alias in the restored mailbox' },
    );
    const theirs = `cua-nguoi-khac ${randomUUID()}`;
    expect(await smtpAnswer(lost, theirs)).toBe(250);
    await waitFor(async () => (await countInInbox(other.address, other.password, theirs, stack.imap)) === 1, {
      timeoutMs: 30_000,
      what: 'the taken alias delivering to its new holder',
    });
  }, 600_000);

  it('when the alias is outside the province’s domains, then 400 names the field and Điều 8 khoản 5, and nothing is stored', async () => {
    const [target] = (await agency.agencies()).filter((a) => a.acting);
    const mailbox = target!.officialMailbox!;
    const body = {
      requester,
      reference: reference(),
      items: [
        { operation: 'add_alias', address: mailbox, alias: 'hopthu.rieng@gmail.com', reason: 'chuyển thư' },
      ],
    };
    const error = await expectRefusedNothingStored(agency, body, '/items/0/alias');
    expect(error.message.vi).toContain('Điều 8 khoản 5');
    expect(error.message.en).toContain('Điều 8 khoản 5');
    expect(error.message.en).toContain('state body');
  });
});

describe('restoring a deleted mailbox after its mail was purged', () => {
  it('when the mail server finds the retained mail purged, then the restore fails naming the purge day and the mailbox stays deleted', async () => {
    const mailbox = await personalMailbox();
    const id = await mailboxIdAt(mailbox.address);
    const alias = `thulai${randomUUID().replaceAll('-', '').slice(0, 8)}@bacninh.gov.vn`;
    await aliasItem('add_alias', mailbox.address, alias);
    await settleItem({ operation: 'delete', address: mailbox.address, reason: 'Nghỉ việc' });
    const listing = await adminFetch<{ entries: { address: string; location: string }[] }>(
      provisioner,
      'GET',
      '/admin/retention',
    );
    const retained = listing.body.entries.find((e) => e.address === mailbox.address);
    // that night's purge, as the mail server saw it: its delete is past the period, the copy gone
    const days = deletedMailDaysFor(mailbox.address);
    const deletedAt = new Date(Date.now() - (days + 1) * 86_400_000);
    await sql`UPDATE applied_commands SET applied_at = ${deletedAt}
      WHERE mailbox_id = ${id} AND action = 'delete'`.execute(provisionerDb);
    if (retained) await rm(retained.location, { recursive: true, force: true });
    const { purgeOn } = deletedMailWindow(mailbox.address, deletedAt, new Date());

    // the directory still dates the delete today: it judges the restore in time and commands it
    const filed = await agency.submit({
      requester,
      reference: reference(),
      items: [{ operation: 'restore_deleted', address: mailbox.address, reason: 'Tuyển dụng lại' }],
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(202);
    const done = await approveOnly(filed.body);
    expect(done.items[0]).toMatchObject({ operation: 'restore_deleted', status: 'failed' });
    const reason = String(done.items[0]!.reason);
    expect(reason).toContain(`bị xóa hẳn ngày ${purgeOn}`);
    expect(reason).toContain(`left retention for good on ${purgeOn}; an empty mailbox is not restored`);

    await waitFor(
      async () => {
        const view = await adminFetch(directory, 'GET', `/admin/mailboxes/${id}`);
        return view.body.state === 'deleted' ? true : undefined;
      },
      { timeoutMs: 30_000, what: `${mailbox.address} deleted again in the directory` },
    );
    const history = await adminFetch(directory, 'GET', `/admin/mailboxes/${id}/history`);
    expect(history.body.items).toContainEqual(
      expect.objectContaining({
        change: 'restore_undone',
        itemId: done.items[0]!.id,
        details: expect.objectContaining({
          to: 'deleted',
          error: expect.stringContaining(purgeOn),
          aliases: [alias],
        }),
      }),
    );
    // the alias the restore brought back is withdrawn again, on the mail server too
    expect((await adminFetch(directory, 'GET', `/admin/aliases?mailboxId=${id}`)).body.items).toEqual([]);
    await smtpSays(alias, false);
    expect(await imapLoginWorks(mailbox.address, mailbox.password, stack.imap)).toBe(false);
    expect(await smtpAnswer(mailbox.address, 'sau khi xoa han')).toBeGreaterThanOrEqual(500);
  }, 600_000);
});
