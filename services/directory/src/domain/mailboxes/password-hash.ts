// A mailbox created without a password (an agency's own box set up by an operator) gets a random
// one that nobody ever sees: only its hash, in the form Dovecot stores, leaves this function.
// 144 random bits under salted SHA-512 ({SSHA512}): nobody can guess it, so no stretching is
// needed, and hashing costs microseconds instead of the event loop's milliseconds for bcrypt
// (docs/mail-server.md, "Password hashes").
import { createHash, randomBytes } from 'node:crypto';

export async function randomPasswordHash(): Promise<string> {
  const password = randomBytes(18).toString('base64url');
  const salt = randomBytes(16);
  const digest = createHash('sha512').update(password, 'utf8').update(salt).digest();
  return `{SSHA512}${Buffer.concat([digest, salt]).toString('base64')}`;
}
