// Passwords and encryption at rest for the requests service: generated passwords follow the
// strictest provincial rule (Bắc Ninh 5.2: ≥ 8 chars, upper, lower, digit, one of !@#%$*&);
// only their mail-server hash leaves this service; the password itself waits, encrypted with
// AES-256-GCM, for the agency's one-time fetch.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hash,
  type KeyObject,
  randomFillSync,
} from 'node:crypto';
import bcrypt from 'bcryptjs';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const DIGIT = '23456789';
const SPECIAL = '!@#%$*&';

export function generatePassword(length = 14): string {
  const all = UPPER + LOWER + DIGIT + SPECIAL;
  const chars = [UPPER, LOWER, DIGIT, SPECIAL].map((set) => set[uniformBelow(set.length)]!);
  while (chars.length < length) chars.push(all[uniformBelow(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = uniformBelow(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/**
 * A uniform integer in [0, n) for n ≤ 256, from the CSPRNG's bytes by rejection (a byte at or
 * above the largest multiple of n is drawn again), as randomInt does but from the pool below: a
 * password is ~27 draws, and a 500-item request's passwords cost 14 ms through randomInt here.
 */
function uniformBelow(n: number): number {
  const limit = 256 - (256 % n);
  for (;;) {
    const byte = pooledByte();
    if (byte < limit) return byte % n;
  }
}

/**
 * The form Dovecot stores for a password generated here (generatePassword: 14 characters from 63,
 * about 83 bits): salted SHA-512, `{SSHA512}base64(sha512(password ‖ salt) ‖ salt)`. It costs
 * microseconds on this event loop and at each IMAP login, where bcrypt cost 5 cost 4.4 ms of
 * main-thread CPU per mailbox here and capped logins; stretching guards guessable passwords, and
 * 2^82 guesses of SHA-512 is out of reach (docs/mail-server.md, "Password hashes").
 */
export function hashGeneratedPassword(password: string): string {
  const salt = randomBytesPooled(16);
  // one-shot hash of password ‖ salt: half the cost of a Hash object fed twice (8 → 4 µs)
  const digest = hash('sha512', Buffer.concat([Buffer.from(password, 'utf8'), salt]), 'buffer');
  return `{SSHA512}${Buffer.concat([digest, salt]).toString('base64')}`;
}

/**
 * The form Dovecot stores for a password a person chose (self-service change): bcrypt cost 5,
 * stretched because a chosen password can be guessed (docs/mail-server.md).
 */
export async function hashForMailServer(password: string): Promise<string> {
  return `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`;
}

/**
 * Random bytes from the CSPRNG, drawn 4 KiB at a time (as randomUUID and randomInt do): a bulk
 * request's salts and IVs are two small draws per item, each a call into OpenSSL otherwise
 * (5–12 µs apiece on this machine). Each caller gets its own copy.
 */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
function randomBytesPooled(n: number): Buffer {
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolAt, poolAt + n));
  pool.fill(0, poolAt, poolAt + n); // a byte handed out is not kept here
  poolAt += n;
  return bytes;
}

function pooledByte(): number {
  if (poolAt >= pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const byte = pool[poolAt]!;
  pool[poolAt++] = 0;
  return byte;
}

/**
 * The data keys: `current` encrypts, every key of `keys` decrypts (a ciphertext names its key id),
 * `hashKey` makes the keyed hash of national IDs. Built from DATA_KEYS and NATIONAL_ID_HASH_KEY.
 * Held as KeyObjects: a raw Buffer key is imported again by every cipher and HMAC (70 µs an AES
 * seal here against 15 µs, which made sealing a 500-item request's passwords 35 ms of its CPU).
 */
export interface DataKeys {
  current: { kid: string; key: KeyObject };
  keys: ReadonlyMap<string, KeyObject>;
  hashKey: KeyObject;
}

/** A ciphertext written before key ids (three parts) is read with the key whose id is this. */
export const LEGACY_KID = 'legacy';

/** The key ring from `[{kid, material: 64 hex}]` (first encrypts) and the hash key (64 hex). */
export function dataKeys(ring: readonly { kid: string; material: string }[], hashKeyHex: string): DataKeys {
  const first = ring[0];
  if (!first) throw new Error('DATA_KEYS holds no key');
  const keys = new Map(ring.map((k) => [k.kid, createSecretKey(Buffer.from(k.material, 'hex'))] as const));
  return {
    current: { kid: first.kid, key: keys.get(first.kid)! },
    keys,
    hashKey: createSecretKey(Buffer.from(hashKeyHex, 'hex')),
  };
}

/** `kid.iv.tag.body` (base64url parts): AES-256-GCM under the current key, which the result names. */
export function encrypt(keys: DataKeys, plain: string): string {
  const iv = randomBytesPooled(12);
  const cipher = createCipheriv('aes-256-gcm', keys.current.key, iv);
  const head = cipher.update(plain, 'utf8');
  const tail = cipher.final(); // empty: GCM is a stream mode
  const body = tail.length > 0 ? Buffer.concat([head, tail]) : head;
  return `${keys.current.kid}.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
}

/** The key id a ciphertext was sealed under (LEGACY_KID for one written before key ids). */
export function keyIdOf(sealed: string): string {
  const parts = sealed.split('.');
  return parts.length === 4 ? parts[0]! : LEGACY_KID;
}

export class UnknownDataKeyError extends Error {
  override name = 'UnknownDataKeyError';
}

export function decrypt(keys: DataKeys, sealed: string): string {
  const parts = sealed.split('.');
  const kid = parts.length === 4 ? parts.shift()! : LEGACY_KID;
  const key = keys.keys.get(kid);
  // the key id only, never the ciphertext: neither says anything about the plaintext
  if (!key) throw new UnknownDataKeyError(`no data key "${kid}" in DATA_KEYS`);
  const [iv, tag, body] = parts.map((p) => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', key, iv!);
  decipher.setAuthTag(tag!);
  return Buffer.concat([decipher.update(body!), decipher.final()]).toString('utf8');
}

/** The ciphertext under the current key: unchanged when it already is, else decrypted and sealed again. */
export function reencrypt(keys: DataKeys, sealed: string): string {
  return keyIdOf(sealed) === keys.current.kid ? sealed : encrypt(keys, decrypt(keys, sealed));
}

/** Keyed hash for look-ups of personal data without decrypting it (NATIONAL_ID_HASH_KEY; not rotated with DATA_KEYS). */
export function keyedHash(keys: Pick<DataKeys, 'hashKey'>, value: string): string {
  return createHmac('sha256', keys.hashKey).update(value).digest('hex');
}
