// Issues 14 and 16 on the real stack: an agency gives one of its mailboxes an alias through the
// agency API (add_alias), the request completes, and mail sent to the alias through the real
// Postfix arrives in the mailbox (read over IMAP); the directory's history names the request and
// the client that filed it. An alias outside the province's domains is refused at submission
// naming the field and Bắc Ninh Điều 8 khoản 5 (no forwarding between an official mailbox and one
// not issued by a state body), and nothing is stored. remove_alias takes it away: Postfix then
// refuses the address.
import { randomUUID } from 'node:crypto';
import {
  adminFetch,
  countInInbox,
  expectRefusedNothingStored,
  mailboxIdAt,
  imapLoginWorks,
  demoAgency,
  readStack,
  serviceUrl,
  waitFor,
} from '@hopthu/shared/testing';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';

const stack = readStack();
const directory = serviceUrl('directory');
const requests = serviceUrl('requests');
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
