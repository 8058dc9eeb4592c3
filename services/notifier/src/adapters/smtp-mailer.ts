// MailSender over SMTP (nodemailer). A 5xx reply is permanent (unknown user, relay denied); a
// 4xx reply or a connection problem is worth retrying.
import nodemailer from 'nodemailer';
import { DeliveryError, type MailSender } from '../domain/deliveries/senders.ts';

export function createSmtpMailer(options: { host: string; port: number; ignoreTls: boolean }): MailSender & {
  close(): void;
} {
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: false,
    ignoreTLS: options.ignoreTls,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      try {
        await transport.sendMail({
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
          headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': 'vi' },
        });
      } catch (err) {
        const e = err as { responseCode?: number; response?: string; message?: string };
        const code = typeof e.responseCode === 'number' ? e.responseCode : null;
        throw new DeliveryError(`SMTP: ${e.response ?? e.message ?? String(err)}`, {
          permanent: code !== null && code >= 500 && code < 600,
          statusCode: code,
          cause: err,
        });
      }
    },
    close: () => transport.close(),
  };
}
