// A raw SMTP client for tests that must see the server's own answer to each command (RCPT
// refusals, EHLO keywords), which nodemailer hides behind a bounce-like error.
import net from 'node:net';

export interface SmtpReply {
  code: number;
  lines: string[];
  text: string;
}

export interface SmtpDialogue {
  /** The greeting, read by openSmtp. */
  greeting: SmtpReply;
  /** Sends one command line and reads the (possibly multi-line) reply. */
  command(line: string): Promise<SmtpReply>;
  /** Sends raw bytes (a DATA body) and, when `reply`, reads the reply. */
  write(data: string | Buffer): Promise<void>;
  read(): Promise<SmtpReply>;
  close(): Promise<void>;
}

export async function openSmtp(host: string, port: number, timeoutMs = 15_000): Promise<SmtpDialogue> {
  const socket = net.connect({ host, port });
  socket.setTimeout(timeoutMs);
  let buffer = '';
  const waiting: Array<(r: SmtpReply) => void> = [];
  const ready: SmtpReply[] = [];
  let failure: Error | null = null;
  const failAll = (err: Error) => {
    failure = err;
    for (const w of waiting.splice(0)) w({ code: 0, lines: [err.message], text: err.message });
  };
  socket.on('timeout', () => {
    failAll(new Error('SMTP timeout'));
    socket.destroy();
  });
  socket.on('error', (err) => failAll(err));
  socket.on('close', () => failAll(new Error('SMTP connection closed')));
  let pending: string[] = [];
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    let nl = buffer.indexOf('\r\n');
    while (nl >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      pending.push(line);
      if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) {
        const reply = { code: Number(line.slice(0, 3)), lines: pending, text: pending.join('\n') };
        pending = [];
        const w = waiting.shift();
        if (w) w(reply);
        else ready.push(reply);
      }
      nl = buffer.indexOf('\r\n');
    }
  });
  const read = (): Promise<SmtpReply> => {
    const r = ready.shift();
    if (r) return Promise.resolve(r);
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) =>
      waiting.push((reply) => (reply.code === 0 ? reject(new Error(reply.text)) : resolve(reply))),
    );
  };
  const write = (data: string | Buffer) =>
    new Promise<void>((resolve, reject) => socket.write(data, (err) => (err ? reject(err) : resolve())));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const greeting = await read();
  return {
    greeting,
    read,
    write,
    async command(line) {
      await write(`${line}\r\n`);
      return read();
    },
    async close() {
      if (!socket.destroyed) {
        await write('QUIT\r\n').catch(() => {});
        socket.end();
        socket.destroy();
      }
    },
  };
}
