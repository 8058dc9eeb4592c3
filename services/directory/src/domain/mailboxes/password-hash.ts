// A mailbox created without a password (an agency's own box set up by an operator) gets a random
// one that nobody ever sees: only its hash, in the form Dovecot stores, leaves this function.
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

export const BCRYPT_COST = 5;

export async function randomPasswordHash(): Promise<string> {
  const password = `${randomBytes(18).toString('base64url')}aA1!`;
  return `{BLF-CRYPT}${await bcrypt.hash(password, BCRYPT_COST)}`;
}
