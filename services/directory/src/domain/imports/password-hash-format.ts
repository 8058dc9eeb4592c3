// Which imported password hashes the mail server can check: Dovecot reads the `{SCHEME}` prefix of
// the stored password and verifies the rest in that scheme, so a hash is taken only in a scheme
// Dovecot 2.3 knows and only in that scheme's exact format (a truncated or re-encoded hash would be
// stored and then refuse its holder at the first login). Pure.

export type HashProblem = { vi: string; en: string };

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;
const CRYPT64 = '[./0-9A-Za-z]';

/** Base64 digests `{SCHEME}base64(digest[+salt])`: the digest length, and whether a salt follows. */
const DIGESTS: Record<string, { bytes: number; salted: boolean }> = {
  SSHA512: { bytes: 64, salted: true },
  SHA512: { bytes: 64, salted: false },
  SSHA256: { bytes: 32, salted: true },
  SHA256: { bytes: 32, salted: false },
  SSHA: { bytes: 20, salted: true },
  SHA: { bytes: 20, salted: false },
  SHA1: { bytes: 20, salted: false },
};

/** crypt(3)-style schemes: the whole value after the prefix. */
const CRYPTS: Record<string, RegExp> = {
  'SHA512-CRYPT': new RegExp(`^\\$6\\$(rounds=\\d{4,9}\\$)?${CRYPT64}{1,16}\\$${CRYPT64}{86}$`),
  'SHA256-CRYPT': new RegExp(`^\\$5\\$(rounds=\\d{4,9}\\$)?${CRYPT64}{1,16}\\$${CRYPT64}{43}$`),
  'MD5-CRYPT': new RegExp(`^\\$1\\$${CRYPT64}{1,8}\\$${CRYPT64}{22}$`),
  'BLF-CRYPT': new RegExp(`^\\$2[abxy]\\$(0[4-9]|[12]\\d|3[01])\\$${CRYPT64}{53}$`),
  ARGON2ID: /^\$argon2id\$v=19\$m=\d{1,7},t=\d{1,3},p=\d{1,3}\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}$/,
  ARGON2I: /^\$argon2i\$v=19\$m=\d{1,7},t=\d{1,3},p=\d{1,3}\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}$/,
};

/** The schemes an import takes, as Dovecot names them. */
export const IMPORTABLE_SCHEMES = [...Object.keys(DIGESTS), ...Object.keys(CRYPTS)].sort();

/** Why this hash cannot be stored for Dovecot, or null when it can. Empty is not judged here. */
export function findPasswordHashProblem(hash: string): HashProblem | null {
  const m = /^\{([A-Za-z0-9.-]+)\}(.*)$/s.exec(hash);
  if (!m) {
    return {
      vi: 'Mã băm mật khẩu phải có tiền tố {SCHEME}, ví dụ {SSHA512}… hoặc {BLF-CRYPT}$2y$…',
      en: 'the password hash needs its {SCHEME} prefix, e.g. {SSHA512}… or {BLF-CRYPT}$2y$…',
    };
  }
  const scheme = (m[1] ?? '').toUpperCase();
  const value = m[2] ?? '';
  if (scheme === 'PLAIN' || scheme === 'CLEAR' || scheme === 'CLEARTEXT') {
    return {
      vi: 'Không nhận mật khẩu dạng rõ ({PLAIN}); hãy để trống để cấp mật khẩu mới',
      en: 'cleartext passwords ({PLAIN}) are not taken; leave it empty to issue a new password',
    };
  }
  const digest = DIGESTS[scheme];
  if (digest) {
    const bytes = B64.test(value) && value.length % 4 === 0 ? Buffer.from(value, 'base64').length : -1;
    const ok = digest.salted ? bytes > digest.bytes : bytes === digest.bytes;
    return ok
      ? null
      : {
          vi: `Mã băm {${scheme}} sai định dạng: cần base64 của ${digest.bytes} byte${digest.salted ? ' cộng muối' : ''}`,
          en: `malformed {${scheme}} hash: expected base64 of a ${digest.bytes}-byte digest${digest.salted ? ' followed by its salt' : ''}`,
        };
  }
  const crypt = CRYPTS[scheme];
  if (crypt) {
    return crypt.test(value)
      ? null
      : {
          vi: `Mã băm {${scheme}} sai định dạng`,
          en: `malformed {${scheme}} hash`,
        };
  }
  return {
    vi: `Lược đồ băm {${scheme}} không được hỗ trợ (nhận: ${IMPORTABLE_SCHEMES.join(', ')})`,
    en: `hash scheme {${scheme}} is not supported (taken: ${IMPORTABLE_SCHEMES.join(', ')})`,
  };
}
