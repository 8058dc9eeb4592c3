// The activity report on the real mail server: a login on Dovecot (its last_login plugin writes
// vmail) becomes a provisioning.activity.v1 event with the login's time, once per change; so do a
// message delivered (Dovecot LMTP) and a message sent through submission (Postfix), which count as
// use where the province says so (Bắc Ninh Điều 4 khoản 2 điểm c).
import { waitFor } from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { admin, canLogin, sendTestMail, submit, TEST_DOMAIN, useProvisioner } from './helpers.ts';

const t = useProvisioner();
const api = admin();

async function runReport() {
  const res = await api<{ reported: number; unmatched: number }>(
    'POST',
    `/admin/activity/report?domain=${TEST_DOMAIN}`,
  );
  expect(res.status).toBe(200);
  return res.body;
}

describe('activity report', () => {
  it('when a mailbox logs in on the mail server, then an activity event carries its last login; a pass without a new login reports nothing new for it', async () => {
    const box = await t.createMailbox('activity');
    const before = Math.floor(Date.now() / 1000) * 1000;
    expect(await canLogin(box.address, box.password)).toBe(true);

    // Dovecot records the login without waiting for the disk, so a pass may run before it lands:
    // report again until the event comes
    const first = await waitFor(
      async () => {
        await runReport();
        return t.bus.activities(box.mailboxId)[0];
      },
      { what: `activity event for ${box.address}` },
    );
    expect(first).toMatchObject({ mailboxId: box.mailboxId, address: box.address });
    const firstAt = Date.parse(first.lastLoginAt ?? '');
    expect(firstAt).toBeGreaterThanOrEqual(before);

    // a pass with nothing new, then a later login (the server keeps whole seconds): the next event
    // for the mailbox is the new login, so the pass in between published nothing for it
    await runReport();
    await waitFor(async () => Date.now() >= firstAt + 1100, { what: 'the next second' });
    expect(await canLogin(box.address, box.password)).toBe(true);
    await waitFor(
      async () => {
        await runReport();
        return t.bus.activities(box.mailboxId)[1];
      },
      { what: `second activity event for ${box.address}` },
    );
    const second = t.bus.activities(box.mailboxId)[1];
    expect(Date.parse(second?.lastLoginAt ?? '')).toBeGreaterThan(firstAt);
  });

  it('when mail is delivered to a mailbox that never logged in, then an event carries the delivery; when it then sends through submission, the next one carries the send', async () => {
    const box = await t.createMailbox('activity-rx');
    const before = Math.floor(Date.now() / 1000) * 1000;
    await sendTestMail(box.address, `nhận ${randomUUID()}`);
    const received = await waitFor(
      async () => {
        await runReport();
        return t.bus.activities(box.mailboxId).find((a) => a.lastReceivedAt);
      },
      { what: `delivery reported for ${box.address}`, timeoutMs: 45_000 },
    );
    expect(received.lastLoginAt).toBeUndefined();
    expect(received.lastSentAt).toBeUndefined();
    expect(Date.parse(received.lastReceivedAt ?? '')).toBeGreaterThanOrEqual(before);

    await waitFor(async () => Date.now() >= Date.parse(received.lastReceivedAt ?? '') + 1100, {
      what: 'the next second',
    });
    const other = await t.createMailbox('activity-to');
    expect(await submit(box, box.address, other.address, `gửi ${randomUUID()}`)).toBe('sent');
    const sent = await waitFor(
      async () => {
        await runReport();
        return t.bus.activities(box.mailboxId).find((a) => a.lastSentAt);
      },
      { what: `send reported for ${box.address}`, timeoutMs: 30_000 },
    );
    expect(Date.parse(sent.lastSentAt ?? '')).toBeGreaterThan(Date.parse(received.lastReceivedAt ?? ''));
    expect(sent.lastReceivedAt).toBe(received.lastReceivedAt);
  });
});
