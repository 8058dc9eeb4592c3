// The delivery worker on a database of its own: a mail server that is down gets the mail later
// with the same Message-ID, every attempt recorded; a recipient the real server refuses (5xx) is
// recorded as failed at once instead of being retried forever.
import { randomUUID } from 'node:crypto';
import { createManualClock, newId } from '@hopthu/shared/clock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '../src/adapters/smtp-mailer.ts';
import { insertDelivery, listDeliveries } from '../src/db/delivery-repository.ts';
import { deliverDue } from '../src/domain/deliveries/deliver-due.ts';
import { DeliveryError, type MailSender, type OutgoingMail } from '../src/domain/deliveries/senders.ts';
import { createScratchDatabase, logger } from './helpers.ts';

const mail = {
  from: 'no-reply@bacninh.gov.vn',
  fromName: 'hopthu',
  operatorsMailbox: 'noc@bacninh.gov.vn',
};
const noWebhooks = {
  post: async () => {
    throw new Error('no webhook expected');
  },
};

let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
beforeAll(async () => {
  scratch = await createScratchDatabase();
});
afterAll(async () => {
  await scratch?.drop();
});

async function arrangeMail(to: string, now: Date) {
  const requestId = randomUUID();
  const id = newId();
  await insertDelivery(scratch.db, {
    id,
    kind: 'mail',
    purpose: 'result_agency',
    requestId,
    agencyId: 'a1',
    target: to,
    payload: { to, subject: '[hopthu] Kết quả xử lý yêu cầu số 1/UBND', text: 'Kính gửi' },
    messageId: `<${id}@bacninh.gov.vn>`,
    now,
  });
  return { requestId, messageId: `<${id}@bacninh.gov.vn>` };
}

describe('deliverDue', () => {
  it('when the mail server is down at first, then the mail is sent later once, with the same Message-ID', async () => {
    const clock = createManualClock(new Date('2030-01-01T00:00:00Z'));
    const { requestId, messageId } = await arrangeMail('vanthu@example.gov.vn', clock.now());
    const sent: OutgoingMail[] = [];
    let up = false;
    const mailer: MailSender = {
      async send(m) {
        sent.push(m);
        if (!up) throw new DeliveryError('SMTP: connect ECONNREFUSED', { permanent: false });
      },
    };
    const deps = {
      db: scratch.db,
      clock,
      logger,
      mail,
      mailer,
      webhooks: noWebhooks,
      maxAttempts: 5,
      backoff: { baseMs: 1000, maxMs: 60_000 },
    };

    expect(await deliverDue(deps)).toBe(1);
    expect(await deliverDue(deps)).toBe(0); // not due again before the backoff
    clock.advance(60_000);
    up = true;
    expect(await deliverDue(deps)).toBe(1);
    clock.advance(3600_000);
    expect(await deliverDue(deps)).toBe(0);

    expect(sent.map((m) => m.messageId)).toEqual([messageId, messageId]);
    const [d] = await listDeliveries(scratch.db, { requestId, limit: 5 });
    expect(d).toMatchObject({ status: 'delivered', attempts: 2, lastError: null });
    expect(d?.attemptLog.map((a) => a.outcome)).toEqual(['retry', 'delivered']);
  });

  it('when the real mail server refuses the recipient, then the delivery fails after one recorded attempt', async () => {
    const clock = createManualClock(new Date());
    const { requestId } = await arrangeMail(
      `nobody-${randomUUID().slice(0, 8)}@not-a-hopthu-domain.gov.vn`,
      clock.now(),
    );
    const mailer = createSmtpMailer({
      host: process.env.SMTP_HOST ?? '127.0.0.1',
      port: Number(process.env.SMTP_PORT ?? 2525),
      ignoreTls: true,
    });
    const deps = {
      db: scratch.db,
      clock,
      logger,
      mail,
      mailer,
      webhooks: noWebhooks,
      maxAttempts: 5,
      backoff: { baseMs: 1000, maxMs: 60_000 },
    };
    try {
      await deliverDue(deps);
      clock.advance(3600_000);
      expect(await deliverDue(deps)).toBe(0);
    } finally {
      mailer.close();
    }
    const [d] = await listDeliveries(scratch.db, { requestId, limit: 5 });
    expect(d?.status).toBe('failed');
    expect(d?.attemptLog).toHaveLength(1);
    expect(d?.attemptLog[0]?.statusCode).toBeGreaterThanOrEqual(500);
  });

  it('when attempts run out, then the delivery is failed and no longer retried', async () => {
    const clock = createManualClock(new Date('2030-01-01T00:00:00Z'));
    const { requestId } = await arrangeMail('vanthu@example.gov.vn', clock.now());
    const mailer: MailSender = {
      send: async () => {
        throw new DeliveryError('SMTP: 451 try later', { permanent: false, statusCode: 451 });
      },
    };
    const deps = {
      db: scratch.db,
      clock,
      logger,
      mail,
      mailer,
      webhooks: noWebhooks,
      maxAttempts: 3,
      backoff: { baseMs: 1000, maxMs: 60_000 },
    };
    for (let i = 0; i < 6; i++) {
      await deliverDue(deps);
      clock.advance(120_000);
    }
    const [d] = await listDeliveries(scratch.db, { requestId, limit: 5 });
    expect(d).toMatchObject({ status: 'failed', attempts: 3 });
    expect(d?.attemptLog.map((a) => a.outcome)).toEqual(['retry', 'retry', 'failed']);
  });
});
