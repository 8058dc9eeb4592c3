// The per-message size ceiling of this installation, in bytes: Postfix's message_size_limit,
// advertised in EHLO SIZE and enforced on every message. One installation serves several
// provinces, so by default it is the largest installed province's encoded limit (its attachment
// limit, regulations §4, with base64 and headers: infra/mail/attachment-limits.ts); each recipient
// domain's own, smaller limit is applied by the policy service hopthu-size-policy at the end of
// DATA. Overrides of the ceiling, first found wins:
//   HOPTHU_MESSAGE_SIZE_LIMIT     bytes
//   HOPTHU_MESSAGE_SIZE_LIMIT_MB  MiB (the unit the regulations use: 20 MB = 20 × 1024²)
// Run by scripts/infra.sh mail_config (prints the number); imported by the tests.
import { listPolicies, loadAndInstallProvincePolicies, MB } from '@hopthu/naming';
import { largestEncodedLimit } from './attachment-limits.ts';

export function messageSizeLimit(env: Record<string, string | undefined>): number {
  const positive = (name: string, value: string, unit: number): number => {
    if (!/^[0-9]+$/.test(value) || Number(value) <= 0) {
      throw new Error(`${name} must be a positive whole number, got "${value}"`);
    }
    return Number(value) * unit;
  };
  if (env.HOPTHU_MESSAGE_SIZE_LIMIT) {
    return positive('HOPTHU_MESSAGE_SIZE_LIMIT', env.HOPTHU_MESSAGE_SIZE_LIMIT, 1);
  }
  if (env.HOPTHU_MESSAGE_SIZE_LIMIT_MB) {
    return positive('HOPTHU_MESSAGE_SIZE_LIMIT_MB', env.HOPTHU_MESSAGE_SIZE_LIMIT_MB, MB);
  }
  return largestEncodedLimit(listPolicies());
}

if (import.meta.main) {
  try {
    // A province of the installation's own (PROVINCE_POLICY_DIR, docs/provinces.md) as well as the seeds.
    loadAndInstallProvincePolicies(process.env.PROVINCE_POLICY_DIR || undefined);
    console.log(messageSizeLimit(process.env));
  } catch (err) {
    console.error(`message size limit: ${(err as Error).message}`);
    process.exit(1);
  }
}
