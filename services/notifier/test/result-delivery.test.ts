// When a request is finished, the agency gets the result: a Vietnamese mail in its official
// mailbox (read back over IMAP), a copy for the Sở TTTT, and a signed webhook that is retried
// after the receiver first fails. Runs against the notifier on its port and the real stack.
import { createHmac, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { buildEvent, type RequestFinished, Topics } from '@hopthu/shared/events';
import { waitFor } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryView } from '../src/db/delivery-repository.ts';
import {
  admin,
  createPublisher,
  createTestMailbox,
  decodeTextBody,
  deleteTestMailbox,
  ensureNotifier,
  type NotifierProcess,
  readInbox,
} from './helpers.ts';

let notifier: NotifierProcess;
let publisher: Awaited<ReturnType<typeof createPublisher>>;
let call: ReturnType<typeof admin>;
const mailboxes: string[] = [];

beforeAll(async () => {
  notifier = await ensureNotifier();
  call = admin(notifier.url);
  publisher = await createPublisher();
});

afterAll(async () => {
  await publisher?.close();
  await notifier?.stop();
  for (const a of mailboxes) await deleteTestMailbox(a);
});

async function arrangeAgency(officialMailbox: string | null) {
  const agencyId = `nt-agency-${randomUUID()}`;
  await publisher.publish(
    Topics.directory,
    agencyId,
    buildEvent(
      'vn.gov.hopthu.directory.agency.v1',
      {
        agencyId,
        province: 'bac-ninh',
        domain: 'bacninh.gov.vn',
        name: 'Ủy ban nhân dân xã Tân Dĩnh (thử nghiệm)',
        abbreviation: 'TANDINH',
        parentId: null,
        unitType: 'commune',
        officialMailbox,
        ancestorIds: [agencyId],
      },
      { source: 'notifier-test', subject: agencyId },
    ),
  );
  await waitFor(async () => (await call('GET', `/admin/agencies/${agencyId}`)).status === 200, {
    what: 'agency replicated',
  });
  return agencyId;
}

function buildFinished(agencyId: string, overrides: Partial<RequestFinished> = {}): RequestFinished {
  const requestId = randomUUID();
  const n = Math.floor(Math.random() * 100_000);
  return {
    requestId,
    agencyId,
    province: 'bac-ninh',
    status: 'partially_completed',
    receivedAt: '2026-11-20T02:15:00.000Z',
    dueAt: '2026-11-24T17:00:00.000Z',
    finishedAt: new Date().toISOString(),
    reference: { number: `${n}/UBND-VP`, date: '2026-11-20' },
    requestUrl: `http://127.0.0.1:3001/v1/requests/${requestId}`,
    items: [
      {
        itemId: randomUUID(),
        operation: 'create',
        mailboxType: 'personal',
        status: 'completed',
        address: `tvanh${n}.tandinh@bacninh.gov.vn`,
        displayName: 'Trần Văn Anh',
        hasCredential: true,
      },
      {
        itemId: randomUUID(),
        operation: 'delete',
        mailboxType: 'personal',
        status: 'rejected',
        address: `nvb${n}.tandinh@bacninh.gov.vn`,
        reason: 'Chưa có văn bản cho thôi việc',
        hasCredential: false,
      },
    ],
    ...overrides,
  };
}

async function publishFinished(finished: RequestFinished) {
  await publisher.publish(
    Topics.requests,
    finished.requestId,
    buildEvent('vn.gov.hopthu.request.finished.v1', finished, {
      source: 'notifier-test',
      subject: finished.requestId,
    }),
  );
}

async function deliveriesOf(requestId: string): Promise<DeliveryView[]> {
  const res = await call<{ deliveries: DeliveryView[] }>('GET', `/admin/deliveries?requestId=${requestId}`);
  return res.body.deliveries;
}

describe('result mail', () => {
  it('when a request is finished, then its official mailbox receives a Vietnamese result mail with the addresses', async () => {
    const box = await createTestMailbox('vanthu');
    mailboxes.push(box.address);
    const agencyId = await arrangeAgency(box.address);
    const finished = buildFinished(agencyId);

    await publishFinished(finished);

    const subject = `[hopthu] Kết quả xử lý yêu cầu số ${finished.reference.number}`;
    const mails = await waitFor(
      async () => {
        const all = await readInbox(box);
        return all.length > 0 ? all : null;
      },
      { timeoutMs: 60_000, what: 'result mail in the official mailbox' },
    );
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toBe(subject);
    const text = decodeTextBody(mail.source);
    expect(text).toBe(text.normalize('NFC'));
    expect(text).toContain('Kính gửi: Ủy ban nhân dân xã Tân Dĩnh (thử nghiệm)');
    expect(text).toContain(`Địa chỉ: ${finished.items[0]!.address}`);
    expect(text).toContain(`Địa chỉ: ${finished.items[1]!.address}`);
    expect(text).toContain('Kết quả: hoàn thành');
    expect(text).toContain('Kết quả: bị từ chối');
    expect(text).toContain('Lý do: Chưa có văn bản cho thôi việc');
    expect(text).toContain(finished.requestUrl);
    expect(mail.source).toMatch(/charset=utf-8/i);

    const deliveries = await waitFor(
      async () => {
        const ds = await deliveriesOf(finished.requestId);
        return ds.length === 2 && ds.every((d) => d.status !== 'pending') ? ds : null;
      },
      { what: 'deliveries settled' },
    );
    const toAgency = deliveries.find((d) => d.purpose === 'result_agency')!;
    expect(toAgency).toMatchObject({ kind: 'mail', status: 'delivered', target: box.address, attempts: 1 });
    expect(mail.messageId).toBe(toAgency.messageId);
    const copy = deliveries.find((d) => d.purpose === 'result_copy')!;
    expect(copy.target).toMatch(/@/);
    expect(copy.attemptLog.length).toBeGreaterThanOrEqual(1);
  });

  it('when the same finished event arrives twice, then only one mail is sent', async () => {
    const box = await createTestMailbox('vanthu');
    mailboxes.push(box.address);
    const agencyId = await arrangeAgency(box.address);
    const finished = buildFinished(agencyId);

    await publishFinished(finished);
    await publishFinished(finished); // a new event id for the same request: de-duplicated by (request, purpose)

    await waitFor(
      async () =>
        (await deliveriesOf(finished.requestId)).find((d) => d.purpose === 'result_agency')?.status ===
        'delivered',
      { what: 'result mail delivered' },
    );
    const mails = await waitFor(async () => {
      const all = await readInbox(box);
      return all.length > 0 ? all : null;
    });
    expect(mails).toHaveLength(1);
    expect(
      (await deliveriesOf(finished.requestId)).filter((d) => d.purpose === 'result_agency'),
    ).toHaveLength(1);
  });
});

describe('result webhook', () => {
  let server: Server;
  let url: string;
  const received: { headers: IncomingHttpHeaders; body: string; answered: number }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const status = received.length === 0 ? 500 : 200;
        received.push({
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          answered: status,
        });
        res.writeHead(status).end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hopthu/webhook`;
  });

  afterAll(async () => {
    server?.close();
  });

  it('when the receiver first answers 500, then the webhook is retried with the same id and a valid signature', async () => {
    const box = await createTestMailbox('vanthu');
    mailboxes.push(box.address);
    const agencyId = await arrangeAgency(box.address);
    const key = Buffer.from(randomUUID().replaceAll('-', ''), 'hex'); // 16 bytes
    const secret = `whsec_${Buffer.concat([key, key]).toString('base64')}`;
    const put = await call('PUT', `/admin/agencies/${agencyId}/webhook`, { url, secret });
    expect(put.status).toBe(200);
    const finished = buildFinished(agencyId);

    await publishFinished(finished);

    await waitFor(async () => received.length >= 2, { timeoutMs: 60_000, what: 'webhook retried' });
    const [first, second] = received as [(typeof received)[0], (typeof received)[0]];
    expect(first.answered).toBe(500);
    expect(second.answered).toBe(200);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    for (const r of [first, second]) {
      // verified the way the Standard Webhooks specification says, independently of the notifier's code
      const id = String(r.headers['webhook-id']);
      const ts = String(r.headers['webhook-timestamp']);
      expect(Math.abs(Date.now() / 1000 - Number(ts))).toBeLessThan(300);
      const mac = createHmac('sha256', Buffer.concat([key, key]))
        .update(`${id}.${ts}.${r.body}`)
        .digest('base64');
      expect(String(r.headers['webhook-signature']).split(' ')).toContain(`v1,${mac}`);
    }
    const payload = JSON.parse(second.body);
    expect(payload.type).toBe('request.finished');
    expect(payload.data.requestId).toBe(finished.requestId);
    expect(payload.data.items.map((i: { address: string }) => i.address)).toEqual(
      finished.items.map((i) => i.address),
    );

    const hook = await waitFor(async () => {
      const d = (await deliveriesOf(finished.requestId)).find((x) => x.kind === 'webhook');
      return d?.status === 'delivered' ? d : null;
    });
    expect(hook.webhookId).toBe(first.headers['webhook-id']);
    expect(hook.attemptLog.map((a) => [a.outcome, a.statusCode])).toEqual([
      ['retry', 500],
      ['delivered', 200],
    ]);
  });
});
