// The per-message size limit of this installation, in bytes: Postfix's message_size_limit,
// advertised in EHLO SIZE and enforced on every message. One installation serves one province, so
// by default it is the province's attachment limit (regulations §4, `attachmentLimitBytes` of its
// naming policy). Overrides, first found wins:
//   HOPTHU_MESSAGE_SIZE_LIMIT     bytes
//   HOPTHU_MESSAGE_SIZE_LIMIT_MB  MiB (the unit the regulations use: 20 MB = 20 × 1024²)
//   HOPTHU_PROVINCE               province id (default bac-ninh, the demo province)
// Run by scripts/infra.sh mail_config (prints the number); imported by the tests.
import { getPolicy, loadAndInstallProvincePolicies, MB } from '@hopthu/naming';

export const DEFAULT_PROVINCE = 'bac-ninh';

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
  return getPolicy(env.HOPTHU_PROVINCE || DEFAULT_PROVINCE).attachmentLimitBytes;
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
