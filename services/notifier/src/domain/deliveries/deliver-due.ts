// The delivery worker's one pass: claim due deliveries, send each, record the attempt. Success is
// recorded only after the server or receiver accepted; failures retry with backoff and jitter until
// they are permanent or out of attempts. The Message-ID / webhook-id were fixed at creation, so a
// recipient sees the same identity on every retry and can drop duplicates.
import type { Clock } from '@hopthu/shared/clock';
import type { Logger } from '@hopthu/shared/logger';
import { backoffDelay, type BackoffPolicy } from '@hopthu/shared/retry';
import type { Kysely } from 'kysely';
import { findWebhookSubscription } from '../../db/agency-repository.ts';
import { type ClaimedDelivery, claimDueDeliveries, recordAttempt } from '../../db/delivery-repository.ts';
import type { NotifierDb } from '../../db/schema.ts';
import { webhookHeaders } from '../webhooks/webhook-signature.ts';
import type { MailSettings } from '../mail-settings.ts';
import { DeliveryError, type MailSender, type WebhookSender } from './senders.ts';

export interface DeliverDeps {
  db: Kysely<NotifierDb>;
  clock: Clock;
  logger: Logger;
  mail: MailSettings;
  mailer: MailSender;
  webhooks: WebhookSender;
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** How long a claimed delivery is held before another worker may retry it. */
  leaseMs?: number;
  random?: () => number;
}

type Outcome = { outcome: 'delivered' | 'retry' | 'failed'; statusCode: number | null; error: string | null };

export async function deliverDue(deps: DeliverDeps, batchSize = 20): Promise<number> {
  const now = deps.clock.now();
  const claimed = await claimDueDeliveries(
    deps.db,
    now,
    new Date(now.getTime() + (deps.leaseMs ?? 120_000)),
    batchSize,
  );
  await Promise.all(claimed.map((d) => deliverOne(deps, d)));
  return claimed.length;
}

async function deliverOne(deps: DeliverDeps, d: ClaimedDelivery): Promise<void> {
  const startedAt = deps.clock.now();
  const log = deps.logger.child({
    deliveryId: d.id,
    kind: d.kind,
    purpose: d.purpose,
    requestId: d.requestId,
  });
  let result: Outcome;
  try {
    const statusCode = d.kind === 'mail' ? await sendMail(deps, d) : await sendWebhook(deps, d);
    result = { outcome: 'delivered', statusCode, error: null };
  } catch (err) {
    const e = err as Partial<DeliveryError> & Error;
    const permanent = e instanceof DeliveryError ? e.permanent : false;
    const outOfAttempts = d.attempt >= deps.maxAttempts;
    result = {
      outcome: permanent || outOfAttempts ? 'failed' : 'retry',
      statusCode: e.statusCode ?? null,
      error: String(e.message ?? e).slice(0, 1000),
    };
  }
  const finishedAt = deps.clock.now();
  const nextAttemptAt =
    result.outcome === 'retry'
      ? new Date(finishedAt.getTime() + backoffDelay(d.attempt, deps.backoff, deps.random))
      : null;
  await recordAttempt(deps.db, {
    deliveryId: d.id,
    attempt: d.attempt,
    startedAt,
    finishedAt,
    ...result,
    nextAttemptAt,
  });
  if (result.outcome === 'delivered') log.info({ attempt: d.attempt, target: d.target }, 'delivered');
  else if (result.outcome === 'retry')
    log.warn({ attempt: d.attempt, error: result.error, nextAttemptAt }, 'delivery failed; will retry');
  else log.error({ attempt: d.attempt, error: result.error }, 'delivery failed for good');
}

async function sendMail(deps: DeliverDeps, d: ClaimedDelivery): Promise<null> {
  const p = d.payload as { to?: string; subject?: string; text?: string };
  if (!d.target || !p.subject || p.text === undefined || !d.messageId) {
    throw new DeliveryError('mail delivery without recipient, subject, body or Message-ID', {
      permanent: true,
    });
  }
  await deps.mailer.send({
    from: { name: deps.mail.fromName, address: deps.mail.from },
    to: d.target,
    subject: p.subject,
    text: p.text,
    messageId: d.messageId,
  });
  return null;
}

async function sendWebhook(deps: DeliverDeps, d: ClaimedDelivery): Promise<number> {
  if (!d.target || d.body === null || !d.webhookId || !d.agencyId) {
    throw new DeliveryError('webhook delivery without URL, body or id', { permanent: true });
  }
  // The secret is read per attempt, so a rotated secret applies to pending retries.
  const sub = await findWebhookSubscription(deps.db, d.agencyId);
  if (!sub) throw new DeliveryError('the agency no longer has a webhook subscription', { permanent: true });
  const headers = webhookHeaders({
    secret: sub.secret,
    id: d.webhookId,
    timestamp: Math.floor(deps.clock.now().getTime() / 1000),
    body: d.body,
  });
  const status = await deps.webhooks.post(d.target, headers, d.body);
  if (status >= 200 && status < 300) return status;
  // 410 Gone: the receiver says it will never take this (Standard Webhooks' "disable" signal).
  throw new DeliveryError(`receiver answered HTTP ${status}`, {
    permanent: status === 410,
    statusCode: status,
  });
}
