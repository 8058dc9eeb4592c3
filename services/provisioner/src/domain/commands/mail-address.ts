// Address rules the mail server's vmail schema enforces (lowercase, maildir `<domain>/<local>/`
// without `..` or absolute paths), checked before anything is written so a bad command fails with
// a readable reason instead of a constraint violation.

const LOCAL_RE = /^[a-z0-9][a-z0-9._+-]{0,63}$/;
const DOMAIN_RE =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export interface ParsedAddress {
  address: string;
  localPart: string;
  domain: string;
}

/** Splits and checks an address; null when it is not one the mail server can hold. */
export function parseMailAddress(address: string): ParsedAddress | null {
  const at = address.lastIndexOf('@');
  if (at <= 0 || address.indexOf('@') !== at) return null;
  const localPart = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (!LOCAL_RE.test(localPart) || !isValidDomain(domain)) return null;
  if (localPart.includes('..')) return null;
  return { address, localPart, domain };
}

export function isValidDomain(domain: string): boolean {
  return DOMAIN_RE.test(domain);
}

/** The maildir of an address, relative to the mail root: `<domain>/<localpart>/`. */
export function maildirFor(address: string): string {
  const parsed = parseMailAddress(address);
  if (!parsed) throw new Error(`not a valid mail address: ${address}`);
  return `${parsed.domain}/${parsed.localPart}/`;
}

/** Where a deleted mailbox's maildir is kept: `<retention>/<yyyy-mm-dd>/<address>-g<generation>`. */
export function retentionPathFor(
  retentionDir: string,
  address: string,
  generation: number,
  at: Date,
): string {
  const day = at.toISOString().slice(0, 10);
  return `${retentionDir.replace(/\/+$/, '')}/${day}/${address}-g${generation}`;
}
