// Passwords and encryption at rest for the requests service: generated passwords follow the
// strictest provincial rule (Bắc Ninh 5.2: ≥ 8 chars, upper, lower, digit, one of !@#%$*&);
// only their mail-server hash leaves this service; the password itself waits, encrypted with
// AES-256-GCM, for the agency's one-time fetch.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt } from 'node:crypto';
import bcrypt from 'bcryptjs';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const DIGIT = '23456789';
const SPECIAL = '!@#%$*&';

export function generatePassword(length = 14): string {
  const all = UPPER + LOWER + DIGIT + SPECIAL;
  const chars = [UPPER, LOWER, DIGIT, SPECIAL].map((set) => set[randomInt(set.length)]!);
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** The form Dovecot stores: bcrypt cost 5 (login throughput, see docs/mail-server.md). */
export async function hashForMailServer(password: string): Promise<string> {
  return `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`;
}

export function encrypt(keyHex: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function decrypt(keyHex: string, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), iv!);
  decipher.setAuthTag(tag!);
  return Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8');
}

/** Keyed hash for look-ups of personal data without decrypting it. */
export function keyedHash(keyHex: string, value: string): string {
  return createHmac('sha256', Buffer.from(keyHex, 'hex')).update(value).digest('hex');
}
