// WebhookSender over fetch: a JSON POST with a timeout; network errors become retryable failures.
import { DeliveryError, type WebhookSender } from '../domain/deliveries/senders.ts';

export function createFetchWebhookSender(options: { timeoutMs: number; userAgent?: string }): WebhookSender {
  return {
    async post(url, headers, body) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': options.userAgent ?? 'hopthu-notifier/1',
            ...headers,
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        return res.status;
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause;
        throw new DeliveryError(`webhook: ${cause?.code ?? (err as Error).message}`, {
          permanent: false,
          cause: err,
        });
      }
    },
  };
}
