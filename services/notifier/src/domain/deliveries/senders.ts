// What the delivery worker needs from the outside world; adapters/ implement them.

export interface OutgoingMail {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

export interface MailSender {
  /** Resolves once the server accepted the message; throws DeliveryError otherwise. */
  send(mail: OutgoingMail): Promise<void>;
}

export interface WebhookSender {
  /** Posts the body; resolves with the HTTP status, throws DeliveryError for network failures. */
  post(url: string, headers: Record<string, string>, body: string): Promise<number>;
}

/** A failed send. `permanent`: retrying cannot help (e.g. SMTP 550 unknown user). */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  readonly permanent: boolean;
  readonly statusCode: number | null;
  constructor(message: string, options: { permanent: boolean; statusCode?: number | null; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.permanent = options.permanent;
    this.statusCode = options.statusCode ?? null;
  }
}
