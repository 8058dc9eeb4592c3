// The per-message limit of the province (regulations §4) is what Postfix advertises in EHLO SIZE
// and enforces: a message that declares a larger size is refused at MAIL FROM, and one that does
// not declare it is refused after DATA, before anything is queued or delivered.
import { beforeAll, describe, expect, it } from 'vitest';
import { messageSizeLimit } from '../../../infra/mail/message-size-limit.ts';
import { env, TEST_DOMAIN, useProvisioner } from './helpers.ts';
import { openSmtp, type SmtpDialogue } from './smtp-dialogue.ts';

// the same resolution scripts/infra.sh mail_config renders into main.cf
const limit = messageSizeLimit(process.env);

const t = useProvisioner();
let recipient: string;

beforeAll(async () => {
  recipient = (await t.createMailbox('size')).address;
});

async function withSmtp<T>(fn: (smtp: SmtpDialogue, ehlo: string) => Promise<T>): Promise<T> {
  const smtp = await openSmtp(env.smtpHost, env.smtpPort, 60_000);
  try {
    const ehlo = await smtp.command('EHLO size-test.local');
    expect(ehlo.code).toBe(250);
    return await fn(smtp, ehlo.text);
  } finally {
    await smtp.close();
  }
}

describe("the province's per-message size limit", () => {
  it('when a client says EHLO, then SIZE advertises the configured limit', async () => {
    await withSmtp(async (_smtp, ehlo) => {
      expect(ehlo).toMatch(new RegExp(`^250[ -]SIZE ${limit}$`, 'm'));
    });
  });

  it('when a message declares a size above the limit, then MAIL FROM is refused; at the limit it is accepted', async () => {
    await withSmtp(async (smtp) => {
      const over = await smtp.command(`MAIL FROM:<sender@${TEST_DOMAIN}> SIZE=${limit + 1}`);
      expect(over.code).toBe(552);
      expect(over.text).toMatch(/5\.3\.4/);
      expect((await smtp.command('RSET')).code).toBe(250);
      expect((await smtp.command(`MAIL FROM:<sender@${TEST_DOMAIN}> SIZE=${limit}`)).code).toBe(250);
    });
  });

  it('when an undeclared message is larger than the limit, then the end of DATA is refused (nothing is queued)', async () => {
    await withSmtp(async (smtp) => {
      expect((await smtp.command(`MAIL FROM:<sender@${TEST_DOMAIN}>`)).code).toBe(250);
      expect((await smtp.command(`RCPT TO:<${recipient}>`)).code).toBe(250);
      expect((await smtp.command('DATA')).code).toBe(354);
      const header = `From: sender@${TEST_DOMAIN}\r\nTo: ${recipient}\r\nSubject: too big\r\n\r\n`;
      const line = `${'x'.repeat(998)}\r\n`;
      const chunk = line.repeat(1024); // ~1 MB
      let sent = Buffer.byteLength(header);
      await smtp.write(header);
      while (sent <= limit + 64 * 1024) {
        await smtp.write(chunk);
        sent += chunk.length;
      }
      await smtp.write('.\r\n');
      const answer = await smtp.read();
      expect(answer.code).toBe(552);
      expect(answer.text).toMatch(/5\.3\.4 .*too big/i);
    });
  });
});
