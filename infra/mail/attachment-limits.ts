// The attachment limit of each province (regulations §4: Thanh Hóa and Khánh Hòa 10 MB, Kiên Giang
// 15 MB, Bắc Ninh 20 MB, Đắk Nông 25 MB; MB = 1024²) applies to the attachment, but the mail
// server sees the encoded message: base64 makes every 3 bytes 4 characters, cut into lines of 76
// with CRLF, and the message adds its headers and text. So a province's limit on the message is
// encodedMessageLimit(attachment), and one installation serving several provinces applies each
// recipient domain's own (the Postfix policy service hopthu-size-policy reads the table this
// prints; message_size_limit stays a global ceiling above the largest).
//
// Run by scripts/infra.sh mail_config: prints one line per domain (primary and alias domains of
// every installed province): `<domain> <encoded limit bytes> <attachment MB> <province> <article>`.
import { listPolicies, loadAndInstallProvincePolicies, MB, type ProvincePolicy } from '@hopthu/naming';

/** Room for the headers, the text part and MIME boundaries beside the attachment. */
export const HEADER_ALLOWANCE_BYTES = 64 * 1024;
/** Characters per base64 line before CRLF (RFC 2045 §6.8: at most 76). */
const BASE64_LINE = 76;

/** The largest message that carries an attachment of `attachmentBytes` (base64, lines, headers). */
export function encodedMessageLimit(attachmentBytes: number): number {
  const base64 = 4 * Math.ceil(attachmentBytes / 3);
  return base64 + 2 * Math.ceil(base64 / BASE64_LINE) + HEADER_ALLOWANCE_BYTES;
}

export interface DomainSizeLimit {
  domain: string;
  province: string;
  attachmentBytes: number;
  encodedLimit: number;
  article: string;
}

/** One row per domain of each province (its primary domain and alias domains). */
export function domainSizeLimits(policies: readonly ProvincePolicy[]): DomainSizeLimit[] {
  const rows: DomainSizeLimit[] = [];
  for (const p of policies) {
    for (const domain of [p.domain, ...p.aliasDomains]) {
      rows.push({
        domain: domain.toLowerCase(),
        province: p.id,
        attachmentBytes: p.attachmentLimitBytes,
        encodedLimit: encodedMessageLimit(p.attachmentLimitBytes),
        article: p.capacity.article,
      });
    }
  }
  return rows;
}

/** The global ceiling (message_size_limit): the largest province's encoded limit. */
export function largestEncodedLimit(policies: readonly ProvincePolicy[]): number {
  return Math.max(...policies.map((p) => encodedMessageLimit(p.attachmentLimitBytes)));
}

/** SMTP replies are ASCII here (smtputf8_enable = no): Điều 9 → Dieu 9. */
export function asciiText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/\s+/g, ' ');
}

/** The table's text: what the policy service reads (no spaces inside a field but the article's). */
export function formatDomainSizeLimits(rows: readonly DomainSizeLimit[]): string {
  return rows
    .map((r) => {
      const mb = Number.isInteger(r.attachmentBytes / MB)
        ? String(r.attachmentBytes / MB)
        : (r.attachmentBytes / MB).toFixed(1);
      return `${r.domain} ${r.encodedLimit} ${mb} ${r.province} ${asciiText(r.article)}`;
    })
    .join('\n');
}

if (import.meta.main) {
  try {
    loadAndInstallProvincePolicies(process.env.PROVINCE_POLICY_DIR || undefined);
    console.log(formatDomainSizeLimits(domainSizeLimits(listPolicies())));
  } catch (err) {
    console.error(`attachment limits: ${(err as Error).message}`);
    process.exit(1);
  }
}
