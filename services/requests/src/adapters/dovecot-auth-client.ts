// Checks a mailbox password with the mail server itself: Dovecot's auth service (the same passdb and
// hash IMAP and SMTP use), over its loopback listener, with the Dovecot authentication protocol
// (version 1.2): handshake, then one `AUTH … PLAIN` and its `OK` or `FAIL`. The requests service
// keeps no hash: what Dovecot accepts is the password in force, a change applied seconds ago
// included. The service name `hopthu-self-service` lets the passdb accept an issued password the
// holder must change (IMAP and SMTP get nologin for it). The password is only in the base64 SASL
// response on the socket, never logged.
import net from 'node:net';

export class MailAuthUnavailableError extends Error {
  override name = 'MailAuthUnavailableError';
}

export interface DovecotAuthOptions {
  host: string;
  port: number;
  timeoutMs?: number;
  service?: string;
}

/** True when Dovecot accepts `password` for `address`; throws MailAuthUnavailableError when it cannot tell. */
export type VerifyMailboxPassword = (address: string, password: string, clientIp: string) => Promise<boolean>;

const SAFE_FIELD = /^[^\t\n\r]*$/;

export function createDovecotAuthClient(options: DovecotAuthOptions): VerifyMailboxPassword {
  const service = options.service ?? 'hopthu-self-service';
  const timeoutMs = options.timeoutMs ?? 10_000;
  return (address, password, clientIp) =>
    new Promise<boolean>((resolve, reject) => {
      if (!SAFE_FIELD.test(address) || !SAFE_FIELD.test(clientIp)) {
        resolve(false);
        return;
      }
      const socket = net.connect({ host: options.host, port: options.port });
      let buffer = '';
      let handshakeDone = false;
      let settled = false;
      const finish = (error: Error | null, ok = false) => {
        if (settled) return;
        settled = true;
        socket.destroy();
        if (error) reject(error);
        else resolve(ok);
      };
      socket.setTimeout(timeoutMs, () => finish(new MailAuthUnavailableError('dovecot auth: timeout')));
      socket.on('error', (err) => finish(new MailAuthUnavailableError(`dovecot auth: ${err.message}`)));
      socket.on('close', () => finish(new MailAuthUnavailableError('dovecot auth: connection closed')));
      socket.on('connect', () => socket.write(`VERSION\t1\t2\nCPID\t${process.pid}\n`));
      socket.on('data', (chunk) => {
        buffer += chunk.toString('utf8');
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          const [cmd, id, ...fields] = line.split('\t');
          if (!handshakeDone) {
            if (cmd === 'DONE') {
              handshakeDone = true;
              const resp = Buffer.from(`\0${address}\0${password}`, 'utf8').toString('base64');
              const ip = clientIp ? `\trip=${clientIp}` : '';
              socket.write(`AUTH\t1\tPLAIN\tservice=${service}\tsecured${ip}\tresp=${resp}\n`);
            }
            continue;
          }
          if (id !== '1') continue;
          if (cmd === 'OK') finish(null, !fields.includes('nologin'));
          else if (cmd === 'FAIL') {
            if (fields.some((f) => f === 'temp' || f.startsWith('temp='))) {
              finish(new MailAuthUnavailableError('dovecot auth: temporary failure'));
            } else finish(null, false);
          } else if (cmd === 'CONT') finish(null, false); // PLAIN takes no second round
        }
      });
    });
}
