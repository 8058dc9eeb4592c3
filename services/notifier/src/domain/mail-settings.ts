// Addresses the notifier writes from and to, taken from configuration.
export interface MailSettings {
  /** Envelope and header sender, e.g. no-reply@bacninh.gov.vn. */
  from: string;
  fromName: string;
  /** Where deadline warnings go. */
  operatorsMailbox: string;
}

/** A Message-ID fixed when the delivery is created, so every retry carries the same one. */
export function newMessageId(id: string, from: string): string {
  const domain = from.split('@')[1] ?? 'hopthu.invalid';
  return `<${id}@${domain}>`;
}
